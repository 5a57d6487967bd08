package io.svclab.net.conntrack;

import io.svclab.kernel.Sysctl;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatRange;
import io.svclab.net.nat.NatService;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The oracle's node (iptables-reuse.sh): client 10.250.1.2 on eth0, be1 10.250.2.2 on eth1, be2
 * 10.250.3.2 on eth2, service VIP 10.250.100.100:80 DNATed to :8080 of a backend chosen by a
 * tiny rule table ("statistic --mode nth --every N" over the current endpoint list, which a test
 * may change between connections as kube-proxy's iptables-restore does). Records the ctstate
 * each received packet had after conntrack (PREROUTING, mangle priority).
 */
final class Node {

    static final String CLIENT = "10.250.1.2";
    static final String VIP = "10.250.100.100";
    static final String BE1 = "10.250.2.2";
    static final String BE2 = "10.250.3.2";
    static final String NODE_BE1_SIDE = "10.250.2.1";
    static final int WIN = 64240;
    static final long SEC = 1_000_000_000L;

    final EmbeddedNetns e;
    final Conntrack ct;
    final ConntrackTable table;
    final List<String> endpoints = new ArrayList<>(List.of(BE1, BE2));
    final List<String> ctstates = new ArrayList<>();
    int nth;
    int ruleRuns;
    boolean masquerade;
    boolean randomFully;
    /** When set, the POSTROUTING rule is {@code SNAT --to-source} this range instead of MASQUERADE. */
    NatRange snat;

    Node() {
        this("6.12");
    }

    Node(String kernel) {
        e = new EmbeddedNetns(kernel);
        e.device("eth0", "10.250.1.1", 24);
        e.device("eth1", NODE_BE1_SIDE, 24);
        e.device("eth2", "10.250.3.1", 24);
        e.ns().sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
        ct = Conntrack.install(e.ns());
        table = ct.table();
        NatService nat = e.ns().attachment(NatService.class);
        int vip = Ip4.parse(VIP);
        nat.setRuleTable((p, ns, hook) -> {
            ruleRuns++;
            if ((hook == Hook.PREROUTING || hook == Hook.OUTPUT) && p.proto == IpProto.TCP && p.dst == vip && p.dport == 80
                    && !endpoints.isEmpty()) {
                String be = endpoints.get(nth++ % endpoints.size());
                return nat.setupInfo(p, NatRange.to(Ip4.parse(be), 8080), ManipType.DST);
            }
            if (hook == Hook.POSTROUTING && masquerade && p.outDev != null && p.outDev.name().equals("eth1")) {
                if (snat != null) {
                    return nat.setupInfo(p, snat, ManipType.SRC);
                }
                int flags = NatRange.MAP_IPS | (randomFully ? NatRange.PROTO_RANDOM_FULLY : 0);
                int a = Ip4.parse(NODE_BE1_SIDE);
                return nat.setupInfo(p, new NatRange(a, a, 0, 0, flags), ManipType.SRC);
            }
            return Verdict.ACCEPT;
        });
        e.hook(Hook.PREROUTING, new HookEntry("record-ctstate", NfPriority.MANGLE, (p, ns, h) -> {
            ctstates.add(CtInfo.ctstate(p));
            return Verdict.ACCEPT;
        }));
    }

    Packet seg(String src, int sport, String dst, int dport, int flags, int seq, int ack, int len) {
        Packet p = e.tcp(src, sport, dst, dport, flags);
        p.seq = seq;
        p.ack = ack;
        p.window = WIN;
        p.payloadLength = len;
        return p;
    }

    /** A client segment to the VIP; returns what left the node. */
    List<EmbeddedNetns.Sent> client(int sport, int flags, int seq, int ack) {
        return client(CLIENT, sport, flags, seq, ack, 0);
    }

    List<EmbeddedNetns.Sent> client(String src, int sport, int flags, int seq, int ack, int len) {
        e.receive(seg(src, sport, VIP, 80, flags, seq, ack, len), "eth0");
        return e.readOutbound();
    }

    /** A backend segment to the client (or to the masqueraded address/port). */
    List<EmbeddedNetns.Sent> server(String be, String dst, int dport, int flags, int seq, int ack, int len) {
        e.receive(seg(be, 8080, dst, dport, flags, seq, ack, len), be.equals(BE1) ? "eth1" : "eth2");
        return e.readOutbound();
    }

    List<EmbeddedNetns.Sent> server(String be, int cport, int flags, int seq, int ack) {
        return server(be, CLIENT, cport, flags, seq, ack, 0);
    }

    /** Client ISN 1000, server ISN 5000: SYN, SYN/ACK, ACK. Returns the backend of the SYN. */
    String handshake(int sport) {
        return handshake(sport, 1000, 5000);
    }

    String handshake(int sport, int cisn, int sisn) {
        List<EmbeddedNetns.Sent> out = client(sport, TcpFlags.SYN, cisn, 0);
        String be = Ip4.format(out.get(0).dst());
        server(be, sport, TcpFlags.SYN | TcpFlags.ACK, sisn, cisn + 1);
        client(sport, TcpFlags.ACK, cisn + 1, sisn + 1);
        return be;
    }

    /** Request 100 bytes, response 200 bytes, server closes first (name_server.py), client ACKs FIN with FIN. */
    void requestAndServerClose(int sport, String be) {
        client(CLIENT, sport, TcpFlags.PSH | TcpFlags.ACK, 1001, 5001, 100);
        server(be, CLIENT, sport, TcpFlags.ACK, 5001, 1101, 0);
        server(be, CLIENT, sport, TcpFlags.PSH | TcpFlags.ACK, 5001, 1101, 200);
        client(sport, TcpFlags.ACK, 1101, 5201);
        server(be, CLIENT, sport, TcpFlags.FIN | TcpFlags.ACK, 5201, 1101, 0);
        client(sport, TcpFlags.FIN | TcpFlags.ACK, 1101, 5202);
        server(be, CLIENT, sport, TcpFlags.ACK, 5202, 1102, 0);
    }

    Conn entry(int sport) {
        return table.lookup(IpProto.TCP, Ip4.parse(CLIENT), Ip4.parse(VIP), sport, 80);
    }

    String proc(int sport) {
        return CtFormat.procLine(entry(sport), e.sim().now());
    }

    long now() {
        return e.sim().now();
    }

    void advance(double seconds) {
        e.runFor((long) (seconds * SEC));
    }

    void advanceNs(long ns) {
        e.runFor(ns);
    }

    String lastCtstate() {
        return ctstates.get(ctstates.size() - 1);
    }
}
