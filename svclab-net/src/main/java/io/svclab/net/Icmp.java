package io.svclab.net;

/** ICMP types and codes the model produces and consumes [S include/uapi/linux/icmp.h]. */
public final class Icmp {

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACH = 3;
    public static final int TIME_EXCEEDED = 11;

    public static final int NET_UNREACH = 0;
    public static final int HOST_UNREACH = 1;
    public static final int PORT_UNREACH = 3;
    public static final int PKT_FILTERED = 13;

    private Icmp() {
    }

    /** A short name, e.g. {@code host-unreachable}. */
    public static String describe(int type, int code) {
        if (type == DEST_UNREACH) {
            switch (code) {
                case NET_UNREACH:
                    return "net-unreachable";
                case HOST_UNREACH:
                    return "host-unreachable";
                case PORT_UNREACH:
                    return "port-unreachable";
                case PKT_FILTERED:
                    return "admin-prohibited";
                default:
                    return "unreachable-code-" + code;
            }
        }
        if (type == TIME_EXCEEDED) {
            return "time-exceeded";
        }
        return "icmp-type-" + type + "-code-" + code;
    }
}
