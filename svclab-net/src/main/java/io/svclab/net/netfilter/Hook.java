package io.svclab.net.netfilter;

/** The five IPv4 netfilter hooks ({@code enum nf_inet_hooks}). */
public enum Hook {
    /** After a packet arrives on an interface, before routing. */
    PREROUTING,
    /** Packets routed to a local address ({@code NF_INET_LOCAL_IN}). */
    INPUT,
    /** Packets routed through this namespace. */
    FORWARD,
    /** Locally generated packets, after the first routing decision ({@code NF_INET_LOCAL_OUT}). */
    OUTPUT,
    /** Every packet leaving through an interface, just before the neighbour layer. */
    POSTROUTING;

    /** NAT manip type of this hook ({@code HOOK2MANIP}): destination in PREROUTING and OUTPUT. */
    public boolean isDestinationManip() {
        return this == PREROUTING || this == OUTPUT;
    }
}
