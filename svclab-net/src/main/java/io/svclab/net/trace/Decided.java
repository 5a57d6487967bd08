package io.svclab.net.trace;

import io.svclab.net.Ip4;

/**
 * A decision a table or component took, recorded as it happened: conntrack (entry created,
 * NAT binding, TIME_WAIT entry reopened, entry destroyed), IPVS (entry hit, sysctls and kernel
 * switch consulted, reschedule or reuse, drops, scheduling, real server changes); pod lifecycle
 * steps are {@link PodChanged}. Emitted only when {@link Trace#enabled()}.
 *
 * @param time simulated time, ns
 * @param where the namespace that decided ({@code node-1})
 * @param flowId the connection of the packet that caused it, or of the entry's first packet (0 when
 *     no connection is concerned: real server changes)
 * @param kind what sort of decision, for sinks that summarise
 * @param what the decision in words, rendered by {@code toString()} when printed (frequent decisions
 *     keep their numbers until then)
 * @param entry the table entry, rule, sysctl or kernel switch that decided it, rendered by
 *     {@code toString()} when printed (a snapshot taken at the decision, never a live object), or null
 * @param addr the backend the decision concerns (real server, DNAT destination, pod address), 0 if none
 * @param port its port, 0 if none
 * @param weight the real server's weight at the decision, -1 when not applicable
 */
public record Decided(long time, String where, long flowId, Kind kind, Object what, Object entry, int addr, int port,
                      int weight) implements TraceEvent {

    /** Sorts of decisions. */
    public enum Kind {
        /** conntrack confirmed a new entry. */
        CT_NEW,
        /** NAT bound the entry to a translated tuple. */
        CT_NAT,
        /** A SYN reopened an entry lingering in TIME_WAIT or CLOSE: the old entry is deleted, a fresh one made. */
        CT_REOPEN,
        /** An entry was deleted or expired. */
        CT_DESTROY,
        /** A SYN found an IPVS connection entry for its 5-tuple. */
        IPVS_HIT,
        /** The sysctls and kernel switch the IPVS port-reuse code consulted. */
        IPVS_CONSULTED,
        /** The SYN keeps the cached decision of the entry it hit. */
        IPVS_REUSE,
        /** The entry is expired and the SYN scheduled afresh. */
        IPVS_RESCHEDULE,
        /** The entry is expired and the SYN dropped because the old conntrack entry is still there. */
        IPVS_REUSE_DROP,
        /** A SYN is dropped because the entry's real server is no longer available (other packets: not traced). */
        IPVS_NODEST_DROP,
        /** A new connection entry: the scheduler chose a real server. */
        IPVS_SCHEDULE,
        /** No real server could take the connection. */
        IPVS_NO_DEST,
        /** A real server was added, or its weight changed. */
        IPVS_DEST_WEIGHT,
        /** A real server was deleted from its virtual service. */
        IPVS_DEST_DELETED,
        /**
         * kube-proxy's iptables or nftables sync put an endpoint into a Service's rules (weight 1) or
         * took it out (weight 0).
         */
        PROXY_ENDPOINT
    }

    /**
     * The decision in words: {@link #what}, and for a scheduling decision the chosen real server
     * and its weight (kept as numbers until printed: that decision is taken for every connection).
     */
    public String text() {
        if (kind == Kind.IPVS_SCHEDULE && addr != 0) {
            return what + " " + backend() + " (weight " + weight + ")";
        }
        return String.valueOf(what);
    }

    /** The entry as printed, or null. */
    public String entryText() {
        return entry == null ? null : entry.toString();
    }

    /** {@code ip:port} of the backend, or null. */
    public String backend() {
        return addr == 0 ? null : port == 0 ? Ip4.format(addr) : Ip4.endpoint(addr, port);
    }

    @Override
    public String format() {
        String e = entryText();
        return layer() + " " + text() + (e == null ? "" : " [" + e.strip() + "]");
    }

    /** The layer's short name for one-line traces: {@code conntrack}, {@code ipvs}, {@code k8s}. */
    public String layer() {
        switch (kind) {
            case CT_NEW:
            case CT_NAT:
            case CT_REOPEN:
            case CT_DESTROY:
                return "conntrack";
            case PROXY_ENDPOINT:
                return "kube-proxy";
            default:
                return "ipvs";
        }
    }
}
