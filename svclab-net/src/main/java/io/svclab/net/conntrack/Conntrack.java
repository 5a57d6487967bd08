package io.svclab.net.conntrack;

import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.Icmp;
import io.svclab.net.IpProto;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.nat.NatCore;
import io.svclab.net.nat.NatService;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;

/**
 * Connection tracking of one namespace: the hook functions of {@code nf_conntrack_proto.c}
 * ({@code ipv4_conntrack_in}, {@code ipv4_conntrack_local}, {@code nf_confirm}) around
 * {@code nf_conntrack_in} of {@code nf_conntrack_core.c}, with the TCP, UDP, ICMP and generic
 * trackers. {@link #install} also installs the NAT core.
 */
public final class Conntrack {

    /** Hook function names as traces print them. */
    public static final String CONNTRACK_IN = "conntrack_in";
    public static final String CONNTRACK_LOCAL = "conntrack_local";
    public static final String CONFIRM = "conntrack_confirm";
    public static final String NAT_DST = "nat_dst";
    public static final String NAT_SRC = "nat_src";

    private static final long SEC = 1_000_000_000L;
    private static final long UDP_STREAM_DELAY = 2 * SEC;

    private final NetNamespace ns;
    private final ConntrackTable table;
    private final NatCore nat;
    private final Sysctls sysctls;

    private Conntrack(NetNamespace ns) {
        this.ns = ns;
        this.table = new ConntrackTable(ns);
        this.nat = new NatCore(ns, table);
        this.sysctls = ns.sysctls();
    }

    /**
     * Loads conntrack and NAT into a namespace: creates the table and the NAT core, attaches them
     * ({@code ConntrackTable.class}, {@code NatService.class}, {@code Conntrack.class}) and
     * registers conntrack_in (PREROUTING -200), conntrack_local (OUTPUT -200), nat_dst
     * (PREROUTING, OUTPUT -100), nat_src (POSTROUTING, INPUT 100) and conntrack_confirm
     * (POSTROUTING, INPUT INT_MAX). Idempotent.
     */
    public static Conntrack install(NetNamespace ns) {
        Conntrack existing = ns.attachment(Conntrack.class);
        if (existing != null) {
            return existing;
        }
        Conntrack ct = new Conntrack(ns);
        ns.attach(Conntrack.class, ct);
        ns.attach(ConntrackTable.class, ct.table);
        ns.attach(NatService.class, ct.nat);
        ns.attach(NatCore.class, ct.nat);
        ns.registerHook(Hook.PREROUTING, new HookEntry(CONNTRACK_IN, NfPriority.CONNTRACK, ct::conntrackIn));
        ns.registerHook(Hook.OUTPUT, new HookEntry(CONNTRACK_LOCAL, NfPriority.CONNTRACK, ct::conntrackIn));
        ns.registerHook(Hook.PREROUTING, new HookEntry(NAT_DST, NfPriority.NAT_DST, ct.nat::hook));
        ns.registerHook(Hook.OUTPUT, new HookEntry(NAT_DST, NfPriority.NAT_DST, ct.nat::hook));
        ns.registerHook(Hook.POSTROUTING, new HookEntry(NAT_SRC, NfPriority.NAT_SRC, ct.nat::hook));
        ns.registerHook(Hook.INPUT, new HookEntry(NAT_SRC, NfPriority.NAT_SRC, ct.nat::hook));
        ns.registerHook(Hook.POSTROUTING, new HookEntry(CONFIRM, NfPriority.CONNTRACK_CONFIRM, ct::confirm));
        ns.registerHook(Hook.INPUT, new HookEntry(CONFIRM, NfPriority.CONNTRACK_CONFIRM, ct::confirm));
        return ct;
    }

    public ConntrackTable table() {
        return table;
    }

    public NatCore nat() {
        return nat;
    }

    public NetNamespace namespace() {
        return ns;
    }

    /** The entry a packet carries in this namespace, or null. */
    public static Conn of(Packet p) {
        return p.nfct instanceof Conn ? (Conn) p.nfct : null;
    }

    // ------------------------------------------------------------------ nf_conntrack_in

    /** {@code ipv4_conntrack_in} / {@code ipv4_conntrack_local} → {@code nf_conntrack_in}. */
    Verdict conntrackIn(Packet p, NetNamespace n, Hook hook) {
        if (p.nfct != null || p.ctinfo == CtInfo.UNTRACKED) {
            return Verdict.ACCEPT; // previously seen (loopback, re-injection) or untracked
        }
        if (p.proto == IpProto.ICMP && isIcmpError(p.icmpType)) {
            return icmpError(p);
        }
        while (true) {
            int dir;
            Conn ct;
            int sport = p.sport;
            int dport = portOf(p);
            Conn.TupleNode h = table.find(Conn.key1(p.src, p.dst), Conn.key2(p.proto, sport, dport, 0));
            if (h == null) {
                ct = table.alloc(p.proto, p.src, p.dst, sport, dport);
                if (ct == null) {
                    table.statDrop++;
                    p.ctinfo = 0;
                    return Verdict.DROP; // too stressed to deal: table full
                }
                ct.flowId = p.flowId;
                dir = Conn.DIR_ORIGINAL;
                p.ctinfo = CtInfo.NEW;
            } else {
                ct = h.ct;
                dir = h.dir;
                if (dir == Conn.DIR_REPLY) {
                    p.ctinfo = CtInfo.ESTABLISHED_REPLY;
                } else {
                    p.ctinfo = ct.has(CtStatus.SEEN_REPLY) ? CtInfo.ESTABLISHED : CtInfo.NEW;
                }
            }
            p.nfct = ct;
            int ret = handlePacket(ct, p, dir);
            if (ret <= 0) {
                p.nfct = null;
                p.ctinfo = 0;
                if (ret == TcpTracker.REPEAT) {
                    continue; // reopen: a fresh entry, NAT evaluated afresh
                }
                table.statInvalid++;
                if (ret == TcpTracker.DROP) {
                    table.statDrop++;
                    return Verdict.DROP;
                }
                return Verdict.ACCEPT;
            }
            if (p.ctinfo == CtInfo.ESTABLISHED_REPLY && !ct.has(CtStatus.SEEN_REPLY)) {
                ct.status |= CtStatus.SEEN_REPLY;
                ct.eventPending = true; // IPCT_REPLY
            }
            return Verdict.ACCEPT;
        }
    }

    /** The tuple's destination "port": the port, or {@code type << 8 | code} for ICMP. */
    private static int portOf(Packet p) {
        return p.proto == IpProto.ICMP ? (p.icmpType << 8 | p.icmpCode) : p.dport;
    }

    static boolean isIcmpError(int type) {
        return type == Icmp.DEST_UNREACH || type == Icmp.TIME_EXCEEDED || type == 4 || type == 5 || type == 12;
    }

    /** {@code nf_conntrack_handle_packet}: the L4 tracker. */
    private int handlePacket(Conn ct, Packet p, int dir) {
        switch (p.proto) {
            case IpProto.TCP:
                return TcpTracker.packet(table, ct, p, dir, sysctls);
            case IpProto.UDP:
                return udpPacket(ct, p, dir);
            case IpProto.ICMP:
                return icmpPacket(ct, p, dir);
            default:
                account(ct, p, dir);
                table.refresh(ct, sysctls.get(Sysctl.NET_NF_CONNTRACK_GENERIC_TIMEOUT) * SEC);
                return TcpTracker.ACCEPT;
        }
    }

    /** {@code nf_conntrack_udp_packet}: 30 s unreplied; stream timeout when still active after 2 s. */
    private int udpPacket(Conn ct, Packet p, int dir) {
        long now = ns.now();
        if (!ct.confirmed() && ct.udpStreamTs == 0) {
            ct.udpStreamTs = now + UDP_STREAM_DELAY;
        }
        long unreplied = sysctls.get(Sysctl.NET_NF_CONNTRACK_UDP_TIMEOUT) * SEC;
        account(ct, p, dir);
        if (ct.has(CtStatus.SEEN_REPLY)) {
            long extra = unreplied;
            boolean stream = false;
            if (now > ct.udpStreamTs) {
                extra = sysctls.get(Sysctl.NET_NF_CONNTRACK_UDP_TIMEOUT_STREAM) * SEC;
                stream = !ct.has(CtStatus.ASSURED);
            }
            table.refresh(ct, extra);
            if (stream) {
                ct.status |= CtStatus.ASSURED;
                ct.eventPending = true;
            }
        } else {
            table.refresh(ct, unreplied);
        }
        return TcpTracker.ACCEPT;
    }

    /** {@code icmp_new} + {@code icmp_packet}: echo requests create entries, replies refresh them. */
    private int icmpPacket(Conn ct, Packet p, int dir) {
        if (!ct.confirmed() && p.icmpType != Conn.ICMP_ECHO) {
            return TcpTracker.INVALID; // only echo (and other query types) may start an entry
        }
        account(ct, p, dir);
        table.refresh(ct, sysctls.get(Sysctl.NET_NF_CONNTRACK_ICMP_TIMEOUT) * SEC);
        return TcpTracker.ACCEPT;
    }

    /**
     * {@code nf_conntrack_inet_error}: an ICMP error is RELATED to the entry of the inverted quoted
     * tuple, if its outer destination is that direction's destination; else error++ and untracked.
     */
    private Verdict icmpError(Packet p) {
        int src = p.innerDst;
        int dst = p.innerSrc;
        int sport;
        int dport;
        if (p.innerProto == IpProto.ICMP) {
            sport = p.innerSport;
            dport = Conn.invertDport(IpProto.ICMP, 0, p.innerDport);
        } else {
            sport = p.innerDport;
            dport = p.innerSport;
        }
        Conn.TupleNode h = table.find(Conn.key1(src, dst), Conn.key2(p.innerProto, sport, dport, 0));
        if (h == null) {
            table.statError++;
            return Verdict.ACCEPT; // "no conntrack"
        }
        Conn ct = h.ct;
        int tupleDst = h.dir == Conn.DIR_ORIGINAL ? ct.origDst : ct.replyDst;
        if (p.dst != tupleDst) {
            table.statError++;
            return Verdict.ACCEPT; // "outer daddr mismatch"
        }
        p.nfct = ct;
        p.ctinfo = h.dir == Conn.DIR_REPLY ? CtInfo.RELATED_REPLY : CtInfo.RELATED;
        return Verdict.ACCEPT;
    }

    /** {@code nf_ct_acct_update}: per-direction packets and bytes, when the extension is present. */
    static void account(Conn ct, Packet p, int dir) {
        if (ct.acct) {
            ct.counters[Conn.PACKETS + dir]++;
            ct.counters[Conn.BYTES + dir] += p.ipLength();
        }
    }

    // ------------------------------------------------------------------ nf_confirm

    /** {@code nf_confirm}: inserts an unconfirmed entry at the end of POSTROUTING / INPUT. */
    Verdict confirm(Packet p, NetNamespace n, Hook hook) {
        Conn ct = of(p);
        if (ct == null || ct.table != table) {
            return Verdict.ACCEPT;
        }
        if (ct.confirmed()) {
            if (ct.eventPending) {
                table.deliverCached(ct);
            }
            return Verdict.ACCEPT;
        }
        if (ct.has(CtStatus.DYING)) {
            table.statInsertFailed++;
            return Verdict.DROP;
        }
        return table.confirm(ct) ? Verdict.ACCEPT : Verdict.DROP;
    }
}
