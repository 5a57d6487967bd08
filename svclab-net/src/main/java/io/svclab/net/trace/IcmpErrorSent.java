package io.svclab.net.trace;

/** The IP layer generated an ICMP error for a packet, or suppressed one by rate limit. */
public record IcmpErrorSent(long time, String where, String icmp, long flowId, String cause, boolean rateLimited)
        implements TraceEvent {

    @Override
    public String format() {
        return (rateLimited ? "icmp suppressed by icmp_ratelimit " : "icmp sent ") + icmp + " for " + cause;
    }
}
