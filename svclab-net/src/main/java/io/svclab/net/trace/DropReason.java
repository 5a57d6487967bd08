package io.svclab.net.trace;

/** Why the IP layer dropped a packet (a subset of the kernel's {@code enum skb_drop_reason}). */
public enum DropReason {
    /** A hook function returned DROP. */
    NETFILTER_DROP,
    /** No route, or a blackhole route. */
    NO_ROUTE,
    /** Forwarding disabled ({@code net.ipv4.ip_forward=0}). */
    FORWARDING_DISABLED,
    /** The destination is not a local address and the packet is not routable here. */
    NOT_LOCAL,
    /** TTL reached zero. */
    TTL_EXPIRED,
    /** Neighbour resolution failed (the packet waited in the ARP queue). */
    NEIGH_FAILED,
    /** The neighbour's unresolved queue was full. */
    NEIGH_QUEUE_FULL,
    /** No protocol handler or socket for the packet. */
    NO_SOCKET,
    /** The interface is down or gone. */
    DEVICE_DOWN
}
