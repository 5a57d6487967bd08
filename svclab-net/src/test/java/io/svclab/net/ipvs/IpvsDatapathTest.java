package io.svclab.net.ipvs;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.IcmpErrorSent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IpvsDatapathTest {

    @Test
    void synIsRewrittenToTheRealServerAndTheReplyBackToTheVip() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();

        List<EmbeddedNetns.Sent> syn = n.client(40000, TcpFlags.SYN);
        assertThat(syn).extracting(Object::toString)
                .containsExactly("0 rs2 10.250.1.2:40000 > 10.250.3.2:8080 tcp [S] seq 0 len 0");
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.STOLEN);

        List<EmbeddedNetns.Sent> synAck = n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        assertThat(synAck).extracting(Object::toString)
                .containsExactly("0 cli0 10.250.100.100:80 > 10.250.1.2:40000 tcp [S.] seq 0 ack 0 len 0");
    }

    @Test
    void newEntryIsSynRecvWith60sThenEstablishedWith900s() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        assertThat(IpvsFormat.connRow(n.conn(40000)))
                .isEqualTo("TCP 01:00  SYN_RECV    10.250.1.2:40000   10.250.100.100:80  10.250.3.2:8080\n");
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(1);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(0);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        assertThat(n.conn(40000).stateName()).isEqualTo("SYN_RECV");
        n.client(40000, TcpFlags.ACK);
        assertThat(IpvsFormat.connRow(n.conn(40000)))
                .isEqualTo("TCP 15:00  ESTABLISHED 10.250.1.2:40000   10.250.100.100:80  10.250.3.2:8080\n");
    }

    @Test
    void serverClosesFirstEndsInTimeWaitAndExpiresAfter120s() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.closedConnection(40000);
        assertThat(n.conn(40000).stateName()).isEqualTo("TIME_WAIT");
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(0);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(1);
        n.seconds(1);
        assertThat(IpvsFormat.procConnRow(n.conn(40000)))
                .isEqualTo("TCP 0AFA0102 9C40 0AFA6464 0050 0AFA0302 1F90 TIME_WAIT       119\n");
        n.seconds(119);
        assertThat(n.conn(40000)).isNull();
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(0);
    }

    @Test
    void clientClosesFirstGoesThroughCloseWait() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        n.client(40000, TcpFlags.FIN | TcpFlags.ACK);
        assertThat(n.conn(40000).stateName()).isEqualTo("CLOSE_WAIT");
        n.server(IpvsNode.RS2, 40000, TcpFlags.ACK);
        n.server(IpvsNode.RS2, 40000, TcpFlags.FIN | TcpFlags.ACK);
        assertThat(n.conn(40000).stateName()).isEqualTo("TIME_WAIT");
        n.client(40000, TcpFlags.ACK);
        assertThat(n.conn(40000).stateName()).isEqualTo("TIME_WAIT");
        assertThat(n.conn(40000).expiresInSeconds()).isEqualTo(120);
    }

    @Test
    void nonSynToVipWithoutEntryGoesToTheLocalStack() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        assertThat(n.client(40000, TcpFlags.ACK)).isEmpty();
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(n.ipvs.connectionCount()).isZero();
    }

    @Test
    void noEligibleDestinationAnswersPortUnreachable() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.250.100.100:80 -s rr");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.2.2:8080 -m -w 0");
        List<EmbeddedNetns.Sent> out = n.client(40000, TcpFlags.SYN);
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.DROP);
        assertThat(n.e.trace().of(IcmpErrorSent.class)).extracting(IcmpErrorSent::icmp)
                .containsExactly("port-unreachable");
        assertThat(out).extracting(EmbeddedNetns.Sent::device).containsExactly("cli0");
        assertThat(n.ipvs.service(6, io.svclab.net.Ip4.parse(IpvsNode.VIP), 80).stats().conns()).isZero();
    }

    @Test
    void weightZeroKeepsEstablishedFlowsAndRefreshesTheirTimer() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        n.seconds(100);
        List<EmbeddedNetns.Sent> out = n.client(40000, TcpFlags.PSH | TcpFlags.ACK);
        assertThat(out).extracting(EmbeddedNetns.Sent::device).containsExactly("rs2");
        assertThat(n.conn(40000).expiresInSeconds()).isEqualTo(900);
        // rr skips the weight-0 server for new connections
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
        assertThat(n.synGoesTo(40002)).isEqualTo("rs1");
    }

    @Test
    void deletedServerWithoutExpireNodestBlackholesWithoutRefreshingTheTimer() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.250.3.2:8080");
        n.seconds(100);
        assertThat(n.client(40000, TcpFlags.PSH | TcpFlags.ACK)).isEmpty();
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.DROP);
        assertThat(n.conn(40000).expiresInSeconds()).isEqualTo(800);
        assertThat(n.ipvs.trash()).hasSize(1);
        n.seconds(800);
        assertThat(n.conn(40000)).isNull();
    }

    @Test
    void deletedServerWithExpireNodestOn59FlushesEntriesAfterOneJiffy() {
        IpvsNode n = new IpvsNode("5.10").withTwoServers();
        n.sysctl(io.svclab.kernel.Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1);
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.250.3.2:8080");
        assertThat(n.conn(40000)).isNotNull();
        n.e.runFor(4_000_000);
        assertThat(n.conn(40000)).isNull();
        // the next data packet goes to the local stack (which would answer with an RST)
        n.client(40000, TcpFlags.PSH | TcpFlags.ACK);
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(n.synGoesTo(40000)).isEqualTo("rs1");
    }

    @Test
    void deletedServerWithExpireNodestBefore59DropsTheFirstPacketAndExpiresTheEntry() {
        IpvsNode n = new IpvsNode("4.19").withTwoServers();
        n.sysctl(io.svclab.kernel.Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1);
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.250.3.2:8080");
        n.seconds(1);
        assertThat(n.conn(40000)).isNotNull();
        assertThat(n.client(40000, TcpFlags.PSH | TcpFlags.ACK)).isEmpty();
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.DROP);
        assertThat(n.conn(40000)).isNull();
        n.client(40000, TcpFlags.PSH | TcpFlags.ACK);
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void readdingADeletedServerRevivesItFromTheTrashWithItsCounters() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.closedConnection(40000);
        IpvsDest before = n.dest(IpvsNode.RS2);
        n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.250.3.2:8080");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 1");
        assertThat(n.dest(IpvsNode.RS2)).isSameAs(before);
        assertThat(before.inactConns()).isEqualTo(1);
        assertThat(before.stats().conns()).isEqualTo(1);
    }

    @Test
    void conntrackBridgeSeesReplyUpdateForNfctConnectionsAndNotrackOtherwise() {
        FakeConntrack ct = new FakeConntrack(false);
        IpvsNode n = new IpvsNode("6.1", ct).withTwoServers();
        n.sysctl(io.svclab.kernel.Sysctl.NET_IPV4_VS_CONNTRACK, 1);
        n.client(40000, TcpFlags.SYN);
        n.sysctl(io.svclab.kernel.Sysctl.NET_IPV4_VS_CONNTRACK, 0);
        n.client(40001, TcpFlags.SYN);
        assertThat(ct.calls).containsExactly("updateReply 10.250.3.2:8080", "notrack");
        n.seconds(61);
        assertThat(ct.calls).containsExactly("updateReply 10.250.3.2:8080", "notrack",
                "dropConntrack 10.250.1.2:40000 > 10.250.100.100:80");
    }

    @Test
    void udpEntryLives300sAndCountsAsInactive() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -u 10.250.100.100:53 -s rr");
        n.run("ipvsadm -a -u 10.250.100.100:53 -r 10.250.2.2:53 -m -w 1");
        io.svclab.net.Packet p = n.e.packet();
        p.src = io.svclab.net.Ip4.parse(IpvsNode.CLIENT);
        p.dst = io.svclab.net.Ip4.parse(IpvsNode.VIP);
        p.proto = io.svclab.net.IpProto.UDP;
        p.sport = 5353;
        p.dport = 53;
        n.e.receive(p, "cli0");
        assertThat(n.e.readOutbound()).extracting(EmbeddedNetns.Sent::device).containsExactly("rs1");
        assertThat(IpvsFormat.connections(n.ipvs)).isEqualTo("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "UDP 05:00  UDP         10.250.1.2:5353    10.250.100.100:53  10.250.2.2:53\n");
        assertThat(n.ipvs.service(17, io.svclab.net.Ip4.parse(IpvsNode.VIP), 53).dests().get(0).inactConns())
                .isEqualTo(1);
    }

    @Test
    void forwardingDecrementsTheTtlAndTtl1GetsTimeExceeded() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        java.util.List<Integer> ttls = new java.util.ArrayList<>();
        n.e.hook(io.svclab.net.netfilter.Hook.POSTROUTING, new io.svclab.net.netfilter.HookEntry("ttl_probe", 0,
                (p, ns, h) -> {
                    ttls.add(p.ttl);
                    return Verdict.ACCEPT;
                }));
        n.client(40000, TcpFlags.SYN);
        assertThat(ttls).containsExactly(63);
        io.svclab.net.Packet p = n.e.tcp(IpvsNode.CLIENT, 40000, IpvsNode.VIP, 80, TcpFlags.ACK);
        p.ttl = 1;
        n.e.receive(p, "cli0");
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.STOLEN);
        assertThat(n.e.trace().of(IcmpErrorSent.class)).extracting(IcmpErrorSent::icmp)
                .containsExactly("time-exceeded");
    }

    @Test
    void icmpErrorsAboutPacketsToTheRealServerReachTheClientAboutTheVip() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        // from the real server's side (forwarded): port unreachable quoting client -> 10.250.3.2:8080
        io.svclab.net.Packet icmp = n.e.packet();
        icmp.proto = io.svclab.net.IpProto.ICMP;
        icmp.src = io.svclab.net.Ip4.parse(IpvsNode.RS2);
        icmp.dst = io.svclab.net.Ip4.parse(IpvsNode.CLIENT);
        icmp.icmpType = io.svclab.net.Icmp.DEST_UNREACH;
        icmp.icmpCode = io.svclab.net.Icmp.PORT_UNREACH;
        icmp.innerProto = io.svclab.net.IpProto.TCP;
        icmp.innerSrc = io.svclab.net.Ip4.parse(IpvsNode.CLIENT);
        icmp.innerSport = 40000;
        icmp.innerDst = io.svclab.net.Ip4.parse(IpvsNode.RS2);
        icmp.innerDport = 8080;
        n.e.receive(icmp, "rs2");
        assertThat(n.e.readOutbound()).extracting(EmbeddedNetns.Sent::toString).containsExactly(
                "0 cli0 10.250.100.100 > 10.250.1.2 icmp port-unreachable for tcp 10.250.1.2:40000 > 10.250.100.100:80");
        // generated by this node (neighbour failure towards the pod): rewritten at OUTPUT
        io.svclab.net.Packet lost = n.e.tcp(IpvsNode.CLIENT, 40000, IpvsNode.RS2, 8080, TcpFlags.SYN);
        n.e.ns().icmpError(lost, io.svclab.net.Icmp.DEST_UNREACH, io.svclab.net.Icmp.HOST_UNREACH);
        n.e.network().pool().release(lost);
        assertThat(n.e.readOutbound()).extracting(EmbeddedNetns.Sent::toString).containsExactly(
                "0 cli0 10.250.100.100 > 10.250.1.2 icmp host-unreachable for tcp 10.250.1.2:40000 > 10.250.100.100:80");
        assertThat(n.conn(40000).stateName()).isEqualTo("SYN_RECV");
    }
}
