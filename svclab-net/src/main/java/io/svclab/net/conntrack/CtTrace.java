package io.svclab.net.conntrack;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.trace.Decided;
import io.svclab.net.trace.Trace;

/**
 * The conntrack decisions traced for explanations ({@link Decided}): callers check
 * {@link Trace#enabled()} first, so an untraced run builds nothing here. The entry is a snapshot of
 * the {@code conntrack -L} line at the decision, printed only when asked.
 */
final class CtTrace {

    private CtTrace() {
    }

    /**
     * A {@code conntrack -L} line frozen at the decision as numbers (an entry is traced for every
     * connection), turned into text by {@link CtFormat#format(CtLine)} only when printed.
     */
    private record Line(int proto, int tcpState, long timeout, int status, int mark, int zone, int use, int oSrc,
                        int oDst, int oSport, int oDport, int rSrc, int rDst, int rSport, int rDport, long[] acct) {
        @Override
        public String toString() {
            String flag = (status & CtStatus.HW_OFFLOAD) != 0 ? "HW_OFFLOAD" : (status & CtStatus.OFFLOAD) != 0
                    ? "OFFLOAD" : (status & CtStatus.ASSURED) != 0 ? "ASSURED" : null;
            boolean offload = (status & (CtStatus.OFFLOAD | CtStatus.HW_OFFLOAD)) != 0;
            String state = proto == IpProto.TCP && !offload ? TcpConntrackTable.name(tcpState) : null;
            return CtFormat.format(new CtLine(null, null, null, 2, IpProto.name(proto), proto,
                    offload ? null : Long.valueOf(timeout), state, tuple(oSrc, oDst, oSport, oDport), null,
                    acct == null ? null : acct[0], acct == null ? null : acct[1], (status & CtStatus.SEEN_REPLY) == 0,
                    tuple(rSrc, rDst, rSport, rDport), null, acct == null ? null : acct[2],
                    acct == null ? null : acct[3], flag, (long) mark & 0xffffffffL, null,
                    zone != 0 ? Long.valueOf(zone) : null, null, (long) use, null, null));
        }

        private CtLine.Tuple tuple(int src, int dst, int sport, int dport) {
            if (proto == IpProto.ICMP) {
                return new CtLine.Tuple(Ip4.format(src), Ip4.format(dst), -1, -1, dport >>> 8, dport & 0xff, sport);
            }
            if (proto == IpProto.TCP || proto == IpProto.UDP) {
                return CtLine.Tuple.ports(Ip4.format(src), Ip4.format(dst), sport, dport);
            }
            return new CtLine.Tuple(Ip4.format(src), Ip4.format(dst), -1, -1, -1, -1, -1);
        }
    }

    /** The {@code conntrack -L} line of an entry at {@code now}, as {@link CtFormat#conntrackLine} prints it. */
    static Object entry(Conn c, long now) {
        return new Line(c.proto, c.tcpState, c.remainingSeconds(now), c.status, c.mark, c.zone, c.use, c.origSrc,
                c.origDst, c.origSport, c.origDport, c.replySrc, c.replyDst, c.replySport, c.replyDport,
                c.acct ? new long[] {c.counters[Conn.PACKETS], c.counters[Conn.BYTES], c.counters[Conn.PACKETS + 1],
                    c.counters[Conn.BYTES + 1]} : null);
    }

    /** Whether the trace wants the decisions of this entry's connection. */
    static boolean wanted(Trace t, long flowId) {
        return t.enabled() && t.wants(flowId);
    }

    static void emit(Trace t, ConntrackTable table, Conn c, long flowId, Decided.Kind kind, String what) {
        long now = table.namespace().now();
        boolean dnat = c.has(CtStatus.DST_NAT);
        t.emit(new Decided(now, table.namespace().name(), flowId, kind, what, entry(c, now),
                dnat ? c.replySrc() : 0, dnat ? c.replySport() : 0, -1));
    }

    /** A SYN reopens an entry in TIME_WAIT/CLOSE ({@code tcp_packet}'s RFC 1122 branch). */
    static void reopen(ConntrackTable table, Conn old, Packet p) {
        Trace t = table.namespace().trace();
        if (wanted(t, p.flowId)) {
            emit(t, table, old, p.flowId, Decided.Kind.CT_REOPEN, "SYN reopens the entry in "
                    + TcpConntrackTable.name(old.tcpState) + ": old entry deleted, NAT chosen afresh");
        }
    }
}
