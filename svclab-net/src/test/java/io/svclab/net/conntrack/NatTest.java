package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.ACK;
import static io.svclab.net.TcpFlags.SYN;
import static io.svclab.net.conntrack.Node.BE1;
import static io.svclab.net.conntrack.Node.BE2;
import static io.svclab.net.conntrack.Node.NODE_BE1_SIDE;
import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatCore;
import io.svclab.net.nat.NatRange;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

/** NAT core: spec §4 and validation targets NAT-1..NAT-5. */
class NatTest {

    @Test
    void nat1_rulesRunOnlyForTheFirstPacketPerManip_synRetransmissionsUseTheStoredBinding() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.client(40000, SYN, 1000, 0);
        assertThat(n.ruleRuns).as("PREROUTING (DST) and POSTROUTING (SRC, null binding)").isEqualTo(2);
        Conn c = n.entry(40000);
        assertThat(c.has(CtStatus.DST_NAT | CtStatus.DST_NAT_DONE | CtStatus.SRC_NAT_DONE)).isTrue();
        assertThat(c.status & CtStatus.SRC_NAT).as("null binding: no SRC_NAT").isZero();
        n.endpoints.set(0, BE2);
        n.advance(1);
        List<EmbeddedNetns.Sent> out = n.client(40000, SYN, 1000, 0);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
        assertThat(Ip4.format(out.get(0).dst())).isEqualTo(BE1);
        assertThat(n.ruleRuns).isEqualTo(2);
    }

    @Test
    void nat2_changingRulesNeverChangesTheEndpointOfAnExistingEntry() {
        Node n = new Node();
        String be = n.handshake(40000);
        n.endpoints.clear();
        n.endpoints.add(be.equals(BE1) ? BE2 : BE1);
        n.advance(60);
        assertThat(Ip4.format(n.client(Node.CLIENT, 40000, ACK, 1001, 5001, 10).get(0).dst())).isEqualTo(be);
        assertThat(Ip4.format(n.entry(40000).replySrc())).isEqualTo(be);
    }

    @Test
    void nat3_masqueradeKeepsTheSourcePort_secondClientWithTheSamePortIsRemapped() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.masquerade = true;
        List<EmbeddedNetns.Sent> a = n.client(Node.CLIENT, 45000, SYN, 1000, 0, 0);
        assertThat(Ip4.format(a.get(0).src())).isEqualTo(NODE_BE1_SIDE);
        assertThat(a.get(0).sport()).isEqualTo(45000);
        List<EmbeddedNetns.Sent> b = n.client("10.250.1.3", 45000, SYN, 2000, 0, 0);
        assertThat(Ip4.format(b.get(0).src())).isEqualTo(NODE_BE1_SIDE);
        assertThat(b.get(0).sport()).isNotEqualTo(45000).isBetween(1024, 65535);
        assertThat(n.table.statFound()).as("one 'tuple already in use' hit").isPositive();
        // the reply to the remapped port is un-SNATed to the second client and un-DNATed to the VIP
        List<EmbeddedNetns.Sent> r = n.server(BE1, NODE_BE1_SIDE, b.get(0).sport(), SYN | ACK, 7000, 2001, 0);
        assertThat(r.get(0).dst()).isEqualTo(Ip4.parse("10.250.1.3"));
        assertThat(r.get(0).dport()).isEqualTo(45000);
        assertThat(Ip4.format(r.get(0).src())).isEqualTo(Node.VIP);
        assertThat(r.get(0).sport()).isEqualTo(80);
        Conn c = n.table.lookup(IpProto.TCP, Ip4.parse("10.250.1.3"), Ip4.parse(Node.VIP), 45000, 80);
        assertThat(CtFormat.conntrackLine(c, n.now(), false, false)).isEqualTo("tcp      6 60 SYN_RECV "
                + "src=10.250.1.3 dst=10.250.100.100 sport=45000 dport=80 src=10.250.2.2 dst=10.250.2.1 sport=8080 "
                + "dport=" + b.get(0).sport() + " mark=0 use=1");
    }

    @Test
    void nat3_randomFullyKeepsNoPort() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.masquerade = true;
        n.randomFully = true;
        int p1 = n.client(Node.CLIENT, 45000, SYN, 1000, 0, 0).get(0).sport();
        int p2 = n.client("10.250.1.3", 45000, SYN, 2000, 0, 0).get(0).sport();
        assertThat(p1).isNotEqualTo(45000).isBetween(1024, 65535);
        assertThat(p2).isNotEqualTo(45000).isNotEqualTo(p1).isBetween(1024, 65535);
    }

    @Test
    void nat4_noFreePortAfter248Attempts_droppedAtConfirm_insertFailed() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.masquerade = true;
        for (int port = 50000; port < 50300; port++) {
            assertThat(n.client(Node.CLIENT, port, SYN, 1000, 0, 0).get(0).sport()).isEqualTo(port);
        }
        int a = Ip4.parse(NODE_BE1_SIDE);
        n.snat = new NatRange(a, a, 50000, 50299, NatRange.MAP_IPS | NatRange.PROTO_SPECIFIED);
        List<EmbeddedNetns.Sent> out = n.client("10.250.1.3", 40000, SYN, 1000, 0, 0);
        assertThat(out).isEmpty();
        NatCore nat = n.ct.nat();
        assertThat(nat.lastAttempts()).isEqualTo(128 + 64 + 32 + 16 + 8);
        assertThat(n.table.statInsertFailed()).isEqualTo(1);
        assertThat(n.table.count()).isEqualTo(300);
    }

    @Test
    void nat5_icmpErrorForDnatedSynReachesClientWithVipOuterSourceAndVipInQuotedHeader() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.client(40000, SYN, 1000, 0);
        // the node's neighbour resolution for be1 fails: host unreachable about the DNATed SYN
        Packet cause = n.seg(Node.CLIENT, 40000, BE1, 8080, SYN, 1000, 0, 0);
        n.e.ns().icmpError(cause, Icmp.DEST_UNREACH, Icmp.HOST_UNREACH);
        n.e.ns().pool().release(cause);
        List<EmbeddedNetns.Sent> out = n.e.readOutbound();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).line())
                .isEqualTo("10.250.100.100 > 10.250.1.2 icmp host-unreachable for tcp 10.250.1.2:40000 > 10.250.100.100:80");
        assertThat(out.get(0).device()).isEqualTo("eth0");
    }

    @Test
    void icmpErrorFromTheBackendIsRelatedAndTranslated() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.client(40000, SYN, 1000, 0);
        Packet e = n.e.packet();
        e.proto = IpProto.ICMP;
        e.src = Ip4.parse(BE1);
        e.dst = Ip4.parse(Node.CLIENT);
        e.icmpType = Icmp.DEST_UNREACH;
        e.icmpCode = Icmp.PORT_UNREACH;
        e.innerProto = IpProto.TCP;
        e.innerSrc = Ip4.parse(Node.CLIENT);
        e.innerSport = 40000;
        e.innerDst = Ip4.parse(BE1);
        e.innerDport = 8080;
        n.e.receive(e, "eth1");
        List<EmbeddedNetns.Sent> out = n.e.readOutbound();
        assertThat(n.lastCtstate()).isEqualTo("RELATED");
        assertThat(out.get(0).line())
                .isEqualTo("10.250.100.100 > 10.250.1.2 icmp port-unreachable for tcp 10.250.1.2:40000 > 10.250.100.100:80");
    }

    @Test
    void setupInfoRefusesAConfirmedEntry() {
        Node n = new Node();
        n.client(40000, SYN, 1000, 0);
        Conn c = n.entry(40000);
        int before = c.replySrc();
        Packet p = n.seg(Node.CLIENT, 40000, Node.VIP, 80, SYN, 1000, 0, 0);
        p.nfct = c;
        Verdict v = n.ct.nat().setupInfo(p, NatRange.to(Ip4.parse("10.250.9.9"), 8080), ManipType.DST);
        assertThat(v).isEqualTo(Verdict.ACCEPT);
        assertThat(c.replySrc()).isEqualTo(before);
        p.nfct = null;
        assertThat(n.ct.nat().setupInfo(p, NatRange.to(1, 1), ManipType.DST)).isEqualTo(Verdict.DROP);
        n.e.ns().pool().release(p);
    }

    @Test
    void hostNetworkProcessToClusterIp_dnatAtOutput_rerouted_replyUnDnatedAtInput() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        int[] seenAtInput = new int[2];
        n.e.hook(io.svclab.net.netfilter.Hook.INPUT, new io.svclab.net.netfilter.HookEntry("socket-view",
                io.svclab.net.netfilter.NfPriority.NAT_SRC + 1, (p, ns, h) -> {
                    seenAtInput[0] = p.src;
                    seenAtInput[1] = p.sport;
                    return Verdict.ACCEPT;
                }));
        // the first route lookup must succeed (a node has a default route): the VIP via eth0
        n.e.ns().addRoute(new io.svclab.net.Route(Ip4.parse("10.250.100.0"), 24, io.svclab.net.RouteType.UNICAST,
                n.e.ns().device("eth0"), 0, Ip4.parse("10.250.1.1")));
        Packet syn = n.seg(NODE_BE1_SIDE, 41000, Node.VIP, 80, SYN, 1000, 0, 0);
        n.e.send(syn);
        List<EmbeddedNetns.Sent> out = n.e.readOutbound();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).device()).isEqualTo("eth1");
        assertThat(Ip4.format(out.get(0).dst())).isEqualTo(BE1);
        assertThat(out.get(0).dport()).isEqualTo(8080);
        Conn c = n.table.lookup(IpProto.TCP, Ip4.parse(NODE_BE1_SIDE), Ip4.parse(Node.VIP), 41000, 80);
        assertThat(c).isNotNull();
        n.server(BE1, NODE_BE1_SIDE, 41000, SYN | ACK, 5000, 1001, 0);
        assertThat(Ip4.format(seenAtInput[0])).isEqualTo(Node.VIP);
        assertThat(seenAtInput[1]).isEqualTo(80);
        assertThat(c.has(CtStatus.SEEN_REPLY)).isTrue();
    }
}
