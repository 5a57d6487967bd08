package io.svclab.net;

/** Neighbour Unreachability Detection states ({@code NUD_*}, include/net/neighbour.h). */
public enum NeighbourState {
    /** Resolution in progress: broadcast ARP requests, packets queued. */
    INCOMPLETE,
    /** Confirmed within {@code reachable_time}. */
    REACHABLE,
    /** Cached address, unconfirmed: used as is, probed on next use. */
    STALE,
    /** Used while STALE: waiting {@code delay_first_probe_time} for a confirmation. */
    DELAY,
    /** Unicast probing the cached address; packets still sent to it. */
    PROBE,
    /** Resolution failed; queued packets were answered with ICMP host unreachable. */
    FAILED
}
