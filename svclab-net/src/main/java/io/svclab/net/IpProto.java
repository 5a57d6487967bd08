package io.svclab.net;

/** IP protocol numbers used by the model. */
public final class IpProto {

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    private IpProto() {
    }

    /** The lower-case name as conntrack and ipvsadm print it. */
    public static String name(int proto) {
        switch (proto) {
            case ICMP:
                return "icmp";
            case TCP:
                return "tcp";
            case UDP:
                return "udp";
            default:
                return "proto-" + proto;
        }
    }
}
