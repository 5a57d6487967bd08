package io.svclab.net.nat;

import io.svclab.net.IpProto;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.conntrack.Conn;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.conntrack.CtInfo;
import io.svclab.net.conntrack.CtStatus;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The NAT core of a namespace (net/netfilter/nf_nat_core.c, nf_nat_proto.c): the hook function
 * {@code nf_nat_inet_fn} at nat_dst/nat_src, {@code nf_nat_setup_info} with
 * {@code get_unique_tuple}, null bindings, the by-source table, and packet rewriting in both
 * directions including ICMP errors ({@code nf_nat_icmp_reply_translation}).
 */
public final class NatCore implements NatService {

    /** {@code NF_NAT_MAX_ATTEMPTS}: first round of port probes. */
    public static final int MAX_ATTEMPTS = 128;

    private final NetNamespace ns;
    private final ConntrackTable table;
    private final SplittableRandom rng;
    private NatRuleTable rules;
    /** {@code nf_nat_bysource}: entries with a SRC manip, by original source (addr, port, proto). */
    private final Long2ObjectOpenHashMap<List<Conn>> bySource = new Long2ObjectOpenHashMap<>();

    // the tuple being chosen (no allocation per setup)
    private int tSrc;
    private int tDst;
    private int tSport;
    private int tDport;
    private int tProto;
    private long lastAttempts;

    /** The NAT core over a conntrack table; its random port offsets come from {@code sim.rng("nat/<ns>")}. */
    public NatCore(NetNamespace ns, ConntrackTable table) {
        this.ns = ns;
        this.table = table;
        this.rng = ns.sim().rng("nat/" + ns.name());
        table.addDestroyListener(this::forget);
    }

    @Override
    public void setRuleTable(NatRuleTable table) {
        this.rules = table;
    }

    /** Port probes made by the last {@code get_unique_tuple} in its last-chance search (tests). */
    public long lastAttempts() {
        return lastAttempts;
    }

    // ------------------------------------------------------------------ nf_nat_inet_fn

    /** The nat_dst / nat_src hook function ({@code nf_nat_ipv4_fn} → {@code nf_nat_inet_fn}). */
    public Verdict hook(Packet p, NetNamespace n, Hook hook) {
        Conn ct = Conntrack.of(p);
        if (ct == null) {
            return Verdict.ACCEPT; // can't track: the user's responsibility
        }
        ManipType manip = ManipType.of(hook);
        int ctinfo = p.ctinfo;
        if ((ctinfo == CtInfo.RELATED || ctinfo == CtInfo.RELATED_REPLY) && p.proto == IpProto.ICMP) {
            icmpReplyTranslation(p, ct, ctinfo, manip);
            return Verdict.ACCEPT;
        }
        if (ctinfo == CtInfo.NEW || ctinfo == CtInfo.RELATED || ctinfo == CtInfo.RELATED_REPLY) {
            if (!initialized(ct, manip)) {
                if (rules != null) {
                    Verdict v = rules.run(p, ns, hook);
                    if (v != Verdict.ACCEPT) {
                        return v;
                    }
                }
                if (!initialized(ct, manip)) {
                    Verdict v = nullBinding(ct, manip);
                    if (v != Verdict.ACCEPT) {
                        return v;
                    }
                }
            }
        }
        natPacket(p, ct, ctinfo, manip);
        return Verdict.ACCEPT;
    }

    /** {@code nf_nat_initialized}: the manip's _DONE bit. */
    public static boolean initialized(Conn ct, ManipType manip) {
        return ct.has(manip == ManipType.SRC ? CtStatus.SRC_NAT_DONE : CtStatus.DST_NAT_DONE);
    }

    /** {@code nf_nat_alloc_null_binding}: map to the address the reply tuple already has. */
    private Verdict nullBinding(Conn ct, ManipType manip) {
        int ip = manip == ManipType.SRC ? ct.replyDst() : ct.replySrc();
        return setup(ct, ip, ip, 0, 0, NatRange.MAP_IPS, manip);
    }

    // ------------------------------------------------------------------ nf_nat_setup_info

    @Override
    public Verdict setupInfo(Packet p, NatRange range, ManipType manip) {
        Conn ct = Conntrack.of(p);
        if (ct == null) {
            return Verdict.DROP;
        }
        return setup(ct, range.minAddr(), range.maxAddr(), range.minPort(), range.maxPort(), range.flags(), manip);
    }

    private Verdict setup(Conn ct, int minAddr, int maxAddr, int minPort, int maxPort, int flags, ManipType manip) {
        if (ct.confirmed() || initialized(ct, manip)) {
            return Verdict.ACCEPT; // nf_nat_setup_info refuses to change a confirmed entry
        }
        // what we've got will look like the inverse of the reply
        int cSrc = ct.replyDst();
        int cDst = ct.replySrc();
        int cSport = ct.proto == IpProto.ICMP ? ct.replySport() : ct.replyDport();
        int cDport = ct.proto == IpProto.ICMP ? ct.origDport : ct.replySport();
        tProto = ct.proto;
        uniqueTuple(ct, cSrc, cDst, cSport, cDport, minAddr, maxAddr, minPort, maxPort, flags, manip);
        if (tSrc != cSrc || tDst != cDst || tSport != cSport || tDport != cDport) {
            // alter the conntrack table so it recognises replies: reply = invert(new tuple)
            if (ct.proto == IpProto.ICMP) {
                ct.alterReply(tDst, tSrc, tSport, ct.replyDport());
            } else {
                ct.alterReply(tDst, tSrc, tDport, tSport);
            }
            ct.setStatus(manip == ManipType.SRC ? CtStatus.SRC_NAT : CtStatus.DST_NAT);
            io.svclab.net.trace.Trace t = ns.trace();
            if (t.enabled() && t.wants(ct.flowId)) {
                boolean src = manip == ManipType.SRC;
                t.emit(new io.svclab.net.trace.Decided(ns.now(), ns.name(), ct.flowId,
                        io.svclab.net.trace.Decided.Kind.CT_NAT, (src ? "SNAT to " : "DNAT to ")
                        + io.svclab.net.Ip4.endpoint(src ? tSrc : tDst, src ? tSport : tDport)
                        + " bound to the entry (replies map back)", new Binding(ct.proto, ct.origSrc, ct.origDst,
                        ct.origSport, ct.origDport, ct.replySrc(), ct.replyDst(), ct.replySport(), ct.replyDport()),
                        src ? 0 : tDst, src ? 0 : tDport, -1));
            }
        }
        if (manip == ManipType.SRC) {
            bySource.computeIfAbsent(srcKey(ct.origSrc, ct.origSport, ct.proto), k -> new ArrayList<>(1)).add(ct);
        }
        ct.setStatus(manip == ManipType.SRC ? CtStatus.SRC_NAT_DONE : CtStatus.DST_NAT_DONE);
        return Verdict.ACCEPT;
    }

    /** The entry's tuples right after a NAT binding, printed as {@code conntrack -L} prints them. */
    private record Binding(int proto, int oSrc, int oDst, int oSport, int oDport, int rSrc, int rDst, int rSport,
                           int rDport) {
        @Override
        public String toString() {
            return io.svclab.net.IpProto.name(proto) + " src=" + io.svclab.net.Ip4.format(oSrc) + " dst="
                    + io.svclab.net.Ip4.format(oDst) + " sport=" + oSport + " dport=" + oDport + " src="
                    + io.svclab.net.Ip4.format(rSrc) + " dst=" + io.svclab.net.Ip4.format(rDst) + " sport=" + rSport
                    + " dport=" + rDport;
        }
    }

    private static long srcKey(int addr, int port, int proto) {
        return ((long) addr << 32) | ((long) (port & 0xffff) << 8) | (proto & 0xff);
    }

    private void forget(Conn ct) {
        if (ct.has(CtStatus.SRC_NAT_DONE)) {
            long k = srcKey(ct.origSrc, ct.origSport, ct.proto);
            List<Conn> l = bySource.get(k);
            if (l != null) {
                l.remove(ct);
                if (l.isEmpty()) {
                    bySource.remove(k);
                }
            }
        }
    }

    // ------------------------------------------------------------------ get_unique_tuple

    private void uniqueTuple(Conn ct, int cSrc, int cDst, int cSport, int cDport, int minAddr, int maxAddr,
                             int minPort, int maxPort, int flags, ManipType manip) {
        boolean randomAll = (flags & (NatRange.PROTO_RANDOM | NatRange.PROTO_RANDOM_FULLY)) != 0;
        boolean mapIps = (flags & NatRange.MAP_IPS) != 0;
        boolean protoSpecified = (flags & NatRange.PROTO_SPECIFIED) != 0;
        lastAttempts = 0;
        set(cSrc, cDst, cSport, cDport);
        // 1) SRC manip: keep the current tuple if in range and unused, else a previous mapping of this source
        if (manip == ManipType.SRC && !randomAll) {
            if (inRange(cSrc, cSport, minAddr, maxAddr, minPort, maxPort, mapIps, protoSpecified)) {
                if (!used(ct)) {
                    return;
                }
            } else if (findAppropriateSrc(ct, cDst, cDport, minAddr, maxAddr, minPort, maxPort, mapIps,
                    protoSpecified)) {
                if (!used(ct)) {
                    return;
                }
            }
        }
        // 2) select the address in the range
        set(cSrc, cDst, cSport, cDport);
        findBestIps(minAddr, maxAddr, mapIps, flags, manip);
        // 3) only bother mapping the port if it's not already in range and unique
        if (!randomAll) {
            if (protoSpecified) {
                int port = manip == ManipType.SRC ? tSport : tDport;
                if (port >= minPort && port <= maxPort && (minPort == maxPort || !used(ct))) {
                    return;
                }
            } else if (!used(ct)) {
                return;
            }
        }
        l4UniqueTuple(ct, minPort, maxPort, protoSpecified, randomAll, manip);
    }

    private void set(int s, int d, int sp, int dp) {
        tSrc = s;
        tDst = d;
        tSport = sp;
        tDport = dp;
    }

    private static boolean inRange(int addr, int port, int minAddr, int maxAddr, int minPort, int maxPort,
                                   boolean mapIps, boolean protoSpecified) {
        if (mapIps && (Integer.compareUnsigned(addr, minAddr) < 0 || Integer.compareUnsigned(addr, maxAddr) > 0)) {
            return false;
        }
        return !protoSpecified || (port >= minPort && port <= maxPort);
    }

    /** {@code find_appropriate_src}: reuse the mapping of another entry with the same original source. */
    private boolean findAppropriateSrc(Conn ct, int dst, int dport, int minAddr, int maxAddr, int minPort,
                                       int maxPort, boolean mapIps, boolean protoSpecified) {
        List<Conn> l = bySource.get(srcKey(ct.origSrc, ct.origSport, ct.proto));
        if (l == null) {
            return false;
        }
        for (int i = 0; i < l.size(); i++) {
            Conn o = l.get(i);
            if (o == ct || o.zone != ct.zone) {
                continue;
            }
            int src = o.replyDst();
            int sport = o.proto == IpProto.ICMP ? o.replySport() : o.replyDport();
            if (inRange(src, sport, minAddr, maxAddr, minPort, maxPort, mapIps, protoSpecified)) {
                set(src, dst, sport, dport);
                return true;
            }
        }
        return false;
    }

    /**
     * {@code find_best_ips_proto}: one address → it; a range → a deterministic hash of the
     * addresses (the kernel uses jhash2 with a boot-time seed; {@code --persistent} ignores the
     * destination).
     */
    private void findBestIps(int minAddr, int maxAddr, boolean mapIps, int flags, ManipType manip) {
        if (!mapIps) {
            return;
        }
        int ip;
        if (minAddr == maxAddr) {
            ip = minAddr;
        } else {
            long dist = (maxAddr & 0xffffffffL) - (minAddr & 0xffffffffL) + 1;
            int other = (flags & NatRange.PERSISTENT) != 0 ? 0 : (manip == ManipType.SRC ? tDst : tSrc);
            int key = manip == ManipType.SRC ? tSrc : tDst;
            long h = (key * 0x9E3779B97F4A7C15L) ^ (other * 0xC2B2AE3D27D4EB4FL);
            h ^= h >>> 29;
            ip = (int) ((minAddr & 0xffffffffL) + Long.remainderUnsigned(h, dist));
        }
        if (manip == ManipType.SRC) {
            tSrc = ip;
        } else {
            tDst = ip;
        }
    }

    /** {@code nf_nat_used_tuple}: the inverse of the candidate is some other entry's tuple. */
    private boolean used(Conn ct) {
        if (tProto == IpProto.ICMP) {
            return table.tupleTaken(tProto, tDst, tSrc, tSport, invertIcmp(tDport), ct);
        }
        return table.tupleTaken(tProto, tDst, tSrc, tDport, tSport, ct);
    }

    private static int invertIcmp(int typeCode) {
        int type = typeCode >>> 8;
        int inv = type == 8 ? 0 : type == 0 ? 8 : type;
        return inv << 8 | (typeCode & 0xff);
    }

    /** {@code nf_nat_l4proto_unique_tuple}: rounds of 128, 64, 32, 16, 8 probes from random offsets. */
    private void l4UniqueTuple(Conn ct, int minPort, int maxPort, boolean protoSpecified, boolean randomAll,
                               ManipType manip) {
        boolean icmp = tProto == IpProto.ICMP;
        if (!icmp && tProto != IpProto.TCP && tProto != IpProto.UDP) {
            return;
        }
        boolean srcKey = icmp || manip == ManipType.SRC;
        int cur = srcKey ? tSport : tDport;
        int min;
        int rangeSize;
        if (!protoSpecified) {
            if (icmp) {
                min = 0;
                rangeSize = 65536;
            } else {
                if (manip == ManipType.DST) {
                    return; // a dst rewrite can't change the port
                }
                if (cur < 1024) {
                    // loose convention: >> 512 is credential passing
                    if (cur < 512) {
                        min = 1;
                        rangeSize = 511;
                    } else {
                        min = 600;
                        rangeSize = 1023 - 600 + 1;
                    }
                } else {
                    min = 1024;
                    rangeSize = 65535 - 1024 + 1;
                }
            }
        } else {
            int lo = Math.min(minPort, maxPort);
            int hi = Math.max(minPort, maxPort);
            min = lo;
            rangeSize = hi - lo + 1;
        }
        int off = randomAll || manip != ManipType.DST ? rng.nextInt(65536) : 0;
        int attempts = Math.min(rangeSize, MAX_ATTEMPTS);
        while (true) {
            for (int i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
                int port = min + off % rangeSize;
                if (srcKey) {
                    tSport = port;
                } else {
                    tDport = port;
                }
                lastAttempts++;
                if (!used(ct)) {
                    return;
                }
            }
            if (attempts >= rangeSize || attempts < 16) {
                return; // the clashing tuple is kept: insert_failed at confirm
            }
            attempts /= 2;
            off = rng.nextInt(65536);
        }
    }

    // ------------------------------------------------------------------ rewriting

    /** {@code nf_nat_packet}: rewrite the manip's half if the (direction-swapped) status bit is set. */
    private static void natPacket(Packet p, Conn ct, int ctinfo, ManipType manip) {
        boolean reply = CtInfo.isReply(ctinfo);
        int bit = manip == ManipType.SRC ? CtStatus.SRC_NAT : CtStatus.DST_NAT;
        if (reply) {
            bit ^= CtStatus.NAT_MASK;
        }
        if (!ct.has(bit)) {
            return;
        }
        // target = invert(tuple of the other direction)
        int tS;
        int tD;
        int tSp;
        int tDp;
        if (!reply) {
            tS = ct.replyDst();
            tD = ct.replySrc();
            tSp = ct.replyDport();
            tDp = ct.replySport();
        } else {
            tS = ct.origDst;
            tD = ct.origSrc;
            tSp = ct.origDport;
            tDp = ct.origSport;
        }
        if (p.proto == IpProto.ICMP) {
            int id = reply ? ct.origSport : ct.replySport();
            if (manip == ManipType.SRC) {
                p.src = tS;
            } else {
                p.dst = tD;
            }
            p.sport = id;
            return;
        }
        if (manip == ManipType.SRC) {
            p.src = tS;
            p.sport = tSp;
        } else {
            p.dst = tD;
            p.dport = tDp;
        }
    }

    /**
     * {@code nf_nat_icmp_reply_translation}: the quoted header gets the opposite manip from the
     * tuple of the other direction; the outer header looks like a reply to it.
     */
    private static void icmpReplyTranslation(Packet p, Conn ct, int ctinfo, ManipType manip) {
        boolean reply = CtInfo.isReply(ctinfo);
        int bit = manip == ManipType.SRC ? CtStatus.SRC_NAT : CtStatus.DST_NAT;
        if (reply) {
            bit ^= CtStatus.NAT_MASK;
        }
        if (!ct.has(bit)) {
            return;
        }
        // tuple of the other direction (!dir)
        int oS;
        int oD;
        int oSp;
        int oDp;
        if (reply) {
            oS = ct.origSrc;
            oD = ct.origDst;
            oSp = ct.origSport;
            oDp = ct.origDport;
        } else {
            oS = ct.replySrc();
            oD = ct.replyDst();
            oSp = ct.replySport();
            oDp = ct.replyDport();
        }
        // inner: manip_pkt(tuple[!dir], !manip)
        if (manip == ManipType.SRC) {
            p.innerDst = oD;
            p.innerDport = oDp;
        } else {
            p.innerSrc = oS;
            p.innerSport = oSp;
        }
        // outer: target = invert(tuple[!dir]), manip
        if (manip == ManipType.SRC) {
            p.src = oD;
        } else {
            p.dst = oS;
        }
    }
}
