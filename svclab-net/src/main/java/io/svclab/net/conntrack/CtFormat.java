package io.svclab.net.conntrack;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;

import java.util.List;

/**
 * Text output byte-identical to the kernel and conntrack-tools: {@code /proc/net/nf_conntrack}
 * ({@code ct_seq_show}, {@code print_tuple} in nf_conntrack_standalone.c), {@code conntrack -L}
 * (libnetfilter_conntrack {@code __snprintf_conntrack_default}, conntrack-tools 1.4.7),
 * {@code conntrack -S} and {@code /proc/net/stat/nf_conntrack} ({@code ct_cpu_seq_show}).
 */
public final class CtFormat {

    /** The three styles of an entry line. */
    public enum Style {
        /** {@code /proc/net/nf_conntrack}: L3 columns, {@code zone=0}, {@code use} includes the reader. */
        PROC,
        /** {@code conntrack -L}: no L3 columns, zone only when non-zero, {@code use=1} when idle. */
        LIST,
        /** {@code conntrack -L -o extended}: as LIST with the L3 columns. */
        EXTENDED
    }

    /** {@code conntrack -S} field names, in order. */
    public static final List<String> STAT_NAMES = List.of("found", "invalid", "insert", "insert_failed", "drop",
            "early_drop", "error", "search_restart", "clash_resolve", "chaintoolong");

    /** Header of {@code /proc/net/stat/nf_conntrack}. */
    public static final String PROC_STAT_HEADER = "entries  clashres found new invalid ignore delete chainlength insert "
            + "insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart";

    private CtFormat() {
    }

    /** A simulated entry as a line model at {@code now} (remaining seconds floored). */
    public static CtLine snapshot(Conn c, long now, Style style, boolean withId) {
        boolean l3 = style != Style.LIST;
        CtLine.Tuple orig = tuple(c.proto, c.origSrc, c.origDst, c.origSport, c.origDport);
        CtLine.Tuple reply = tuple(c.proto, c.replySrc, c.replyDst, c.replySport, c.replyDport);
        String flag = c.has(CtStatus.HW_OFFLOAD) ? "HW_OFFLOAD" : c.has(CtStatus.OFFLOAD) ? "OFFLOAD"
                : c.has(CtStatus.ASSURED) ? "ASSURED" : null;
        boolean offload = c.has(CtStatus.OFFLOAD) || c.has(CtStatus.HW_OFFLOAD);
        Long timeout = offload ? null : c.remainingSeconds(now);
        String state = c.proto == IpProto.TCP && !offload ? TcpConntrackTable.name(c.tcpState) : null;
        Long op = c.acct ? c.counters[Conn.PACKETS] : null;
        Long ob = c.acct ? c.counters[Conn.BYTES] : null;
        Long rp = c.acct ? c.counters[Conn.PACKETS + 1] : null;
        Long rb = c.acct ? c.counters[Conn.BYTES + 1] : null;
        Long zone = style == Style.PROC ? Long.valueOf(c.zone) : (c.zone != 0 ? Long.valueOf(c.zone) : null);
        long use = style == Style.PROC ? c.use + 1 : c.use;
        return new CtLine(null, null, l3 ? "ipv4" : null, 2, IpProto.name(c.proto), c.proto, timeout, state, orig, null,
                op, ob, !c.has(CtStatus.SEEN_REPLY), reply, null, rp, rb, flag, (long) c.mark & 0xffffffffL, null, zone,
                null, use, withId && style != Style.PROC ? Long.valueOf(c.id) : null, null);
    }

    private static CtLine.Tuple tuple(int proto, int src, int dst, int sport, int dport) {
        if (proto == IpProto.ICMP) {
            return new CtLine.Tuple(Ip4.format(src), Ip4.format(dst), -1, -1, dport >>> 8, dport & 0xff, sport);
        }
        if (proto == IpProto.TCP || proto == IpProto.UDP) {
            return CtLine.Tuple.ports(Ip4.format(src), Ip4.format(dst), sport, dport);
        }
        return new CtLine.Tuple(Ip4.format(src), Ip4.format(dst), -1, -1, -1, -1, -1);
    }

    /** A {@code /proc/net/nf_conntrack} line of an entry (no newline). */
    public static String procLine(Conn c, long now) {
        return format(snapshot(c, now, Style.PROC, false));
    }

    /**
     * The whole of {@code /proc/net/nf_conntrack} for a table: one line per live entry, in creation
     * order (the kernel prints in hash order; the simulator keeps a deterministic order).
     */
    public static String proc(ConntrackTable t) {
        long now = t.namespace().now();
        StringBuilder b = new StringBuilder();
        for (Conn c : t.entries()) {
            b.append(procLine(c, now)).append('\n');
        }
        return b.toString();
    }

    /** A {@code conntrack -L} line; {@code extended} adds the L3 columns, {@code withId} adds {@code id=}. */
    public static String conntrackLine(Conn c, long now, boolean extended, boolean withId) {
        return format(snapshot(c, now, extended ? Style.EXTENDED : Style.LIST, withId));
    }

    /**
     * A {@code conntrack -E} line without timestamp, e.g.
     * {@code "    [NEW] tcp      6 120 SYN_SENT src=... [UNREPLIED] src=... id=N"}: events carry no
     * {@code mark=} or {@code use=}; {@code withId} is {@code -o id}.
     */
    public static String eventLine(CtEventListener.Type type, Conn c, long now, boolean withId) {
        CtLine l = snapshot(c, now, Style.LIST, withId);
        return format(new CtLine(null, type.name(), null, 2, l.l4name(), l.l4num(), l.timeout(), l.state(), l.orig(),
                null, l.origPackets(), l.origBytes(), l.unreplied(), l.reply(), null, l.replyPackets(), l.replyBytes(),
                l.flag(), null, null, null, null, null, l.id(), null));
    }

    /** Prints a line model, field by field, in the kernel's / library's order. */
    public static String format(CtLine l) {
        StringBuilder b = new StringBuilder(200);
        if (l.timestamp() != null) {
            b.append('[').append(l.timestamp()).append("]\t");
        }
        if (l.event() != null) {
            pad(b, "[" + l.event() + "]", 9, true);
            b.append(' ');
        }
        if (l.l3name() != null) {
            pad(b, l.l3name(), 8, false);
            b.append(' ').append(l.l3num()).append(' ');
        }
        pad(b, l.l4name(), 8, false);
        b.append(' ').append(l.l4num()).append(' ');
        if (l.timeout() != null) {
            b.append(l.timeout()).append(' ');
        }
        if (l.state() != null) {
            b.append(l.state()).append(' ');
        }
        tuple(b, l.orig());
        if (l.zoneOrig() != null) {
            b.append("zone-orig=").append(l.zoneOrig()).append(' ');
        }
        if (l.origPackets() != null) {
            b.append("packets=").append(l.origPackets()).append(" bytes=").append(l.origBytes()).append(' ');
        }
        if (l.unreplied()) {
            b.append("[UNREPLIED] ");
        }
        tuple(b, l.reply());
        if (l.zoneReply() != null) {
            b.append("zone-reply=").append(l.zoneReply()).append(' ');
        }
        if (l.replyPackets() != null) {
            b.append("packets=").append(l.replyPackets()).append(" bytes=").append(l.replyBytes()).append(' ');
        }
        if (l.flag() != null) {
            b.append('[').append(l.flag()).append("] ");
        }
        if (l.mark() != null) {
            b.append("mark=").append(l.mark()).append(' ');
        }
        if (l.secctx() != null) {
            b.append("secctx=").append(l.secctx()).append(' ');
        }
        if (l.zone() != null) {
            b.append("zone=").append(l.zone()).append(' ');
        }
        if (l.deltaTime() != null) {
            b.append("delta-time=").append(l.deltaTime()).append(' ');
        }
        if (l.use() != null) {
            b.append("use=").append(l.use()).append(' ');
        }
        if (l.id() != null) {
            b.append("id=").append(l.id()).append(' ');
        }
        if (l.userspacePortid() != null) {
            b.append("[USERSPACE] portid=").append(l.userspacePortid()).append(' ');
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    private static void tuple(StringBuilder b, CtLine.Tuple t) {
        b.append("src=").append(t.src()).append(" dst=").append(t.dst()).append(' ');
        if (t.sport() >= 0) {
            b.append("sport=").append(t.sport()).append(" dport=").append(t.dport()).append(' ');
        }
        if (t.type() >= 0) {
            b.append("type=").append(t.type()).append(" code=").append(t.code()).append(" id=").append(t.icmpId())
                    .append(' ');
        }
    }

    private static void pad(StringBuilder b, String s, int width, boolean right) {
        int n = Math.max(0, width - s.length());
        if (!right) {
            b.append(s);
        }
        for (int i = 0; i < n; i++) {
            b.append(' ');
        }
        if (right) {
            b.append(s);
        }
    }

    /** {@code conntrack -S}: one line for the single simulated CPU (with a trailing space). */
    public static String statsLine(ConntrackTable t) {
        StringBuilder b = new StringBuilder("cpu=0   \t");
        long[] v = t.stats();
        for (int i = 0; i < v.length; i++) {
            b.append(STAT_NAMES.get(i)).append('=').append(v[i]).append(' ');
        }
        return b.toString();
    }

    /** {@code /proc/net/stat/nf_conntrack}: the header line and one line of hex values. */
    public static String procStat(ConntrackTable t) {
        long[] v = t.stats();
        // order: entries clashres found new invalid ignore delete chainlength insert insert_failed
        // drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
        long[] row = {t.count(), v[8], v[0], 0, v[1], 0, 0, v[9], v[2], v[3], v[4], v[5], v[6], 0, 0, 0, v[7]};
        StringBuilder b = new StringBuilder(PROC_STAT_HEADER).append('\n');
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                b.append(i == 1 || i == 13 ? "  " : " ");
            }
            b.append(String.format("%08x", row[i]));
        }
        return b.append('\n').toString();
    }
}
