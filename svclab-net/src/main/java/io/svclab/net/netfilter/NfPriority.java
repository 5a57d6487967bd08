package io.svclab.net.netfilter;

/**
 * Hook priorities of IPv4 ({@code enum nf_ip_hook_priorities},
 * include/uapi/linux/netfilter_ipv4.h) and those IPVS registers ({@code ip_vs_ops4[]},
 * net/netfilter/ipvs/ip_vs_core.c). Lower runs first.
 */
public final class NfPriority {

    public static final int RAW = -300;
    public static final int CONNTRACK_DEFRAG = -400;
    public static final int CONNTRACK = -200;
    public static final int MANGLE = -150;
    public static final int NAT_DST = -100;
    public static final int FILTER = 0;
    public static final int SECURITY = 50;
    public static final int NAT_SRC = 100;
    public static final int CONNTRACK_CONFIRM = Integer.MAX_VALUE;

    /** IPVS reply hook at INPUT ({@code ip_vs_out_hook}, NAT_SRC - 2). */
    public static final int IPVS_OUT_INPUT = NAT_SRC - 2;
    /** IPVS request hook at INPUT ({@code ip_vs_in_hook}, NAT_SRC - 1). */
    public static final int IPVS_IN_INPUT = NAT_SRC - 1;
    /** IPVS ICMP hook at FORWARD ({@code ip_vs_forward_icmp}, 99). */
    public static final int IPVS_FORWARD_ICMP = 99;
    /** IPVS reply hook at FORWARD ({@code ip_vs_out_hook}, 100). */
    public static final int IPVS_OUT_FORWARD = 100;
    /** IPVS reply hook at OUTPUT ({@code ip_vs_out_hook}, NAT_DST + 1). */
    public static final int IPVS_OUT_OUTPUT = NAT_DST + 1;
    /** IPVS request hook at OUTPUT ({@code ip_vs_local_request_hook}, NAT_DST + 2). */
    public static final int IPVS_IN_OUTPUT = NAT_DST + 2;

    private NfPriority() {
    }
}
