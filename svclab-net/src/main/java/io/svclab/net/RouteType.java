package io.svclab.net;

/** Route types of {@code ip route} that the model distinguishes. */
public enum RouteType {
    /** Deliver through a device, directly or via a gateway. */
    UNICAST,
    /** The destination is an address of this namespace. */
    LOCAL,
    /** Discard silently (CNIs install these for their IPAM blocks). */
    BLACKHOLE,
    /** Discard and answer ICMP net unreachable ({@code ENETUNREACH} for a local sender). */
    UNREACHABLE,
    /** Discard and answer ICMP administratively prohibited. */
    PROHIBIT
}
