package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.ACK;
import static io.svclab.net.TcpFlags.FIN;
import static io.svclab.net.TcpFlags.PSH;
import static io.svclab.net.TcpFlags.RST;
import static io.svclab.net.TcpFlags.SYN;
import static io.svclab.net.conntrack.Node.BE1;
import static io.svclab.net.conntrack.Node.BE2;
import static io.svclab.net.conntrack.Node.SEC;
import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.kernel.Sysctl;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Conntrack core and TCP tracker: validation targets CT-1..CT-7 and TCP-5..TCP-9 of spec §9. */
class ConntrackCoreTest {

    @Test
    void ct1_entryAppearsOnlyAfterPostrouting_packetDroppedEarlierLeavesNoEntry() {
        Node n = new Node();
        int[] seenInForward = {-1};
        n.e.hook(Hook.FORWARD, new HookEntry("drop-40001", NfPriority.FILTER + 1, (p, ns, h) -> {
            seenInForward[0] = n.table.count();
            return p.sport == 40001 ? Verdict.DROP : Verdict.ACCEPT;
        }));
        n.client(40000, SYN, 1000, 0);
        assertThat(seenInForward[0]).as("unconfirmed while in FORWARD").isZero();
        assertThat(n.table.count()).isEqualTo(1);
        assertThat(n.client(40001, SYN, 1000, 0)).isEmpty();
        assertThat(n.entry(40001)).isNull();
        assertThat(n.table.count()).isEqualTo(1);
    }

    @Test
    void ct2_clientFirstCloseWithServerFin_timeWait120_printed119_assured() {
        Node n = new Node();
        String be = n.handshake(40000);
        n.client(40000, FIN | ACK, 1001, 5001);
        n.server(be, 40000, ACK, 5001, 1002);
        n.server(be, 40000, FIN | ACK, 5001, 1002);
        n.client(40000, ACK, 1002, 5002);
        Conn c = n.entry(40000);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("TIME_WAIT");
        assertThat(c.expiry() - n.now()).isEqualTo(120 * SEC);
        n.advanceNs(1_000_000);
        assertThat(c.remainingSeconds(n.now())).isEqualTo(119);
        assertThat(c.has(CtStatus.ASSURED)).isTrue();
    }

    @Test
    void ct3_beforeAnyReply_unrepliedSynSent120() {
        Node n = new Node();
        n.client(40000, SYN, 1000, 0);
        Conn c = n.entry(40000);
        assertThat(c.has(CtStatus.SEEN_REPLY)).isFalse();
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("SYN_SENT");
        assertThat(c.remainingSeconds(n.now())).isEqualTo(120);
        assertThat(CtFormat.conntrackLine(c, n.now(), false, false)).contains(" [UNREPLIED] ");
    }

    @Test
    void ct4_rstAnsweringTheFirstSynDeletesTheEntry() {
        Node n = new Node();
        n.client(40000, SYN, 1000, 0);
        List<EmbeddedNetns.Sent> out = n.server(BE1, 40000, RST | ACK, 0, 1001);
        assertThat(out).hasSize(1);
        assertThat(Ip4.format(out.get(0).src())).as("the RST is still un-DNATed").isEqualTo(Node.VIP);
        assertThat(n.entry(40000)).isNull();
        assertThat(n.table.count()).isZero();
    }

    @Test
    void ct5_expiryIsExactOnTheSimulatedClock_ignoredSegmentsDoNotRefresh() {
        Node n = new Node();
        String be = n.handshake(40000);
        n.client(40000, FIN | ACK, 1001, 5001);
        n.server(be, 40000, ACK, 5001, 1002); // CLOSE_WAIT 60 s
        Conn c = n.entry(40000);
        long expiry = c.expiry();
        n.advance(10);
        n.client(40000, SYN, 70000, 0); // ignored
        assertThat(c.expiry()).isEqualTo(expiry);
        n.advanceNs(expiry - n.now() - 1);
        assertThat(n.entry(40000)).isSameAs(c);
        n.advanceNs(1);
        assertThat(n.entry(40000)).isNull();
        assertThat(n.table.count()).isZero();
        assertThat(c.has(CtStatus.DYING)).isTrue();
    }

    @Test
    void ct5_lookupAtTheExpiryInstantBeforeTheTimerRunsDoesNotMatch() {
        Node n = new Node();
        n.client(40000, SYN, 1000, 0);
        Conn c = n.entry(40000);
        // run the clock to the expiry instant without running that instant's events
        n.advanceNs(c.expiry() - n.now() - 1);
        n.e.sim().runUntil(n.now()); // nothing due yet
        Packet p = n.seg(Node.CLIENT, 40000, Node.VIP, 80, SYN, 1000, 0, 0);
        n.advanceNs(1);
        n.e.receive(p, "eth0");
        assertThat(n.entry(40000)).isNotSameAs(c);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
    }

    @Test
    void ct6_tableFull_noNonAssuredEntryNearby_packetDropped_statDrop_log() {
        Node n = new Node();
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_MAX, 2);
        n.table.setBuckets(1024);
        n.handshake(40000);
        n.handshake(40001);
        assertThat(n.entry(40000).has(CtStatus.ASSURED)).isTrue();
        assertThat(n.client(40002, SYN, 1000, 0)).isEmpty();
        assertThat(n.table.statDrop()).isEqualTo(1);
        assertThat(n.table.statEarlyDrop()).isZero();
        assertThat(n.table.log()).containsExactly("nf_conntrack: table full, dropping packet");
        assertThat(n.table.count()).isEqualTo(2);
    }

    @Test
    void tcp7_earlyDropEvictsNonAssuredEntriesOfTheFirstBucketThatYieldsAny_assuredAreImmune() {
        Node n = new Node();
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_MAX, 3);
        n.table.setBuckets(1); // every tuple in one bucket
        n.handshake(40000); // ASSURED
        n.client(40001, SYN, 1000, 0);
        n.client(40002, SYN, 1000, 0);
        assertThat(n.client(40003, SYN, 1000, 0)).hasSize(1);
        assertThat(n.table.statEarlyDrop()).isEqualTo(2);
        assertThat(n.entry(40000)).isNotNull();
        assertThat(n.entry(40001)).isNull();
        assertThat(n.entry(40002)).isNull();
        assertThat(n.entry(40003)).isNotNull();
    }

    @Test
    void ct7_looseMidStreamPickupCreatesEstablishedEntryDnatedByCurrentRules() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.handshake(40000);
        new ConntrackTool(n.table).run("conntrack -D -p tcp --orig-port-src 40000");
        n.endpoints.set(0, BE2);
        List<EmbeddedNetns.Sent> out = n.client(Node.CLIENT, 40000, PSH | ACK, 1001, 5001, 100);
        assertThat(Ip4.format(out.get(0).dst())).isEqualTo(BE2);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
        Conn c = n.entry(40000);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("ESTABLISHED");
        assertThat(c.remainingSeconds(n.now())).as("no reply yet: at most UNACK").isEqualTo(300);
        // the new endpoint answers RST: the unreplied entry is deleted
        n.server(BE2, 40000, RST, 5001, 0);
        assertThat(n.entry(40000)).isNull();
    }

    @Test
    void looseZeroDoesNotPickUp() {
        Node n = new Node();
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_LOOSE, 0);
        n.client(Node.CLIENT, 40000, PSH | ACK, 1001, 5001, 100);
        assertThat(n.entry(40000)).isNull();
        assertThat(n.table.statInvalid()).isEqualTo(1);
    }

    @Test
    void firstPacketFinRstOrSynAckIsInvalid() {
        Node n = new Node();
        n.client(40000, FIN | ACK, 1, 1);
        n.client(40001, RST, 1, 0);
        n.client(40002, SYN | ACK, 1, 1);
        assertThat(n.table.count()).isZero();
        assertThat(n.table.statInvalid()).isEqualTo(3);
    }

    @Test
    void tcp5_synSentTimerIsNotRefreshedByRetransmissions_117to110() {
        Node n = new Node();
        n.client(40030, SYN, 1000, 0);
        Conn c = n.entry(40030);
        n.advance(2.5);
        assertThat(c.remainingSeconds(n.now())).isEqualTo(117);
        for (int t : new int[] {1, 1, 1, 1, 1, 2}) { // retransmissions at 3.5 .. 9.5 s
            n.advance(t);
            n.client(40030, SYN, 1000, 0);
        }
        n.advance(0.5);
        assertThat(c.remainingSeconds(n.now())).isEqualTo(110);
    }

    @Test
    void tcp5_beforeTheChange_kernel5_10_refreshesSynSentOnRetransmission() {
        Node n = new Node("5.10");
        n.client(40030, SYN, 1000, 0);
        Conn c = n.entry(40030);
        n.advance(9);
        n.client(40030, SYN, 1000, 0);
        assertThat(c.remainingSeconds(n.now())).isEqualTo(120);
    }

    @Test
    void tcp6_retransmittedFinMovesFinWaitToLastAck30s() {
        Node n = new Node();
        n.handshake(40000);
        n.client(40000, FIN | ACK, 1001, 5001);
        assertThat(TcpConntrackTable.name(n.entry(40000).tcpState())).isEqualTo("FIN_WAIT");
        n.advance(0.2);
        n.client(40000, FIN | ACK, 1001, 5001);
        Conn c = n.entry(40000);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("LAST_ACK");
        assertThat(c.expiry() - n.now()).isEqualTo(30 * SEC);
    }

    @Test
    void tcp8_establishedWithUnacknowledgedDataUses300s() {
        Node n = new Node();
        n.handshake(40000);
        n.client(Node.CLIENT, 40000, PSH | ACK, 1001, 5001, 500);
        Conn c = n.entry(40000);
        assertThat(c.expiry() - n.now()).isEqualTo(300 * SEC);
        n.server(BE1, 40000, ACK, 5001, 1501);
        assertThat(c.expiry() - n.now()).isEqualTo(432000 * SEC);
    }

    @Test
    void tcp9_kubeProxyTimeouts_closeWait3600_established86400() {
        Node n = new Node();
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_ESTABLISHED, 86400);
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE_WAIT, 3600);
        String be = n.handshake(40000);
        Conn c = n.entry(40000);
        assertThat(c.expiry() - n.now()).isEqualTo(86400 * SEC);
        n.client(40000, FIN | ACK, 1001, 5001);
        n.server(be, 40000, ACK, 5001, 1002);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("CLOSE_WAIT");
        assertThat(c.expiry() - n.now()).isEqualTo(3600 * SEC);
    }

    @Test
    void tcp9_kernelDefaults_closeWait60_established432000() {
        Node n = new Node();
        String be = n.handshake(40000);
        Conn c = n.entry(40000);
        assertThat(c.expiry() - n.now()).isEqualTo(432000 * SEC);
        n.client(40000, FIN | ACK, 1001, 5001);
        n.server(be, 40000, ACK, 5001, 1002);
        assertThat(c.expiry() - n.now()).isEqualTo(60 * SEC);
    }

    @Test
    void tcp4_closeWaitCountdownContinuesWhileSynsFlow_56to44() {
        Node n = new Node();
        String be = n.handshake(40000);
        n.client(40000, FIN | ACK, 1001, 5001);
        n.server(be, 40000, ACK, 5001, 1002);
        Conn c = n.entry(40000);
        n.advance(3.5);
        assertThat(c.remainingSeconds(n.now())).isEqualTo(56);
        for (int i = 0; i < 12; i++) {
            n.advance(1);
            assertThat(Ip4.format(n.client(40000, SYN, 70000, 0).get(0).dst())).isEqualTo(be);
        }
        assertThat(c.remainingSeconds(n.now())).isEqualTo(44);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("CLOSE_WAIT");
    }

    @Test
    void tcp3_serverRstClose_oldEndpointListeningAnswersSynAck_resyncToOldEndpoint() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.handshake(40000);
        n.server(BE1, 40000, RST, 5001, 0);
        n.endpoints.set(0, BE2);
        assertThat(Ip4.format(n.client(40000, SYN, 70000, 0).get(0).dst())).isEqualTo(BE1);
        // be1 (listening) accepts the SYN: SYN/ACK acknowledging exactly the ignored SYN
        n.server(BE1, 40000, SYN | ACK, 9000, 70001);
        Conn c = n.entry(40000);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("SYN_RECV");
        n.client(40000, ACK, 70001, 9001);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("ESTABLISHED");
        assertThat(Ip4.format(c.replySrc())).isEqualTo(BE1);
    }

    @Test
    void invalidRstBelowThePeersMaxAckIsInvalidAndKeepsState() {
        Node n = new Node();
        n.handshake(40000);
        n.client(Node.CLIENT, 40000, PSH | ACK, 1001, 5001, 100);
        n.server(BE1, 40000, ACK, 5001, 1101);
        n.client(40000, RST, 1050, 0); // seq below the server's highest ACK 1101
        assertThat(n.lastCtstate()).isEqualTo("INVALID");
        assertThat(TcpConntrackTable.name(n.entry(40000).tcpState())).isEqualTo("ESTABLISHED");
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_IGNORE_INVALID_RST, 1);
        n.client(40000, RST, 1050, 0);
        assertThat(n.lastCtstate()).isEqualTo("ESTABLISHED");
    }

    @Test
    void replyDirectionSynInEstablishedIsInvalid() {
        Node n = new Node();
        n.handshake(40000);
        long invalid = n.table.statInvalid();
        n.server(BE1, 40000, SYN, 123, 0);
        assertThat(n.table.statInvalid()).isEqualTo(invalid + 1);
    }

    @Test
    void seqAboveTheWindowIsInvalidUnlessBeLiberal() {
        Node n = new Node();
        n.handshake(40000);
        n.client(Node.CLIENT, 40000, PSH | ACK, 1001 + 10_000_000, 5001, 10);
        assertThat(n.lastCtstate()).isEqualTo("INVALID");
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_BE_LIBERAL, 1);
        n.client(Node.CLIENT, 40000, PSH | ACK, 1001 + 10_000_000, 5001, 10);
        assertThat(n.lastCtstate()).isEqualTo("ESTABLISHED");
    }

    @Test
    void packetAlreadyCarryingAConntrackIsNotTrackedAgain() {
        Node n = new Node();
        Packet p = n.seg(Node.CLIENT, 40000, Node.VIP, 80, SYN, 1000, 0, 0);
        p.nfct = new Object();
        p.ctinfo = CtInfo.NEW;
        n.e.receive(p, "eth0");
        n.e.readOutbound();
        assertThat(n.table.count()).isZero();
    }

    @Test
    void udpUnreplied30s_replied_streamAfter2sGets120sAndAssured() {
        Node n = new Node();
        Packet q = n.e.packet();
        q.proto = IpProto.UDP;
        q.src = Ip4.parse(Node.CLIENT);
        q.sport = 5353;
        q.dst = Ip4.parse(BE1);
        q.dport = 53;
        n.e.receive(q, "eth0");
        Conn c = n.table.lookup(IpProto.UDP, Ip4.parse(Node.CLIENT), Ip4.parse(BE1), 5353, 53);
        assertThat(c.expiry() - n.now()).isEqualTo(30 * SEC);
        for (int i = 0; i < 2; i++) {
            n.advance(1.5);
            Packet r = n.e.packet();
            r.proto = IpProto.UDP;
            r.src = Ip4.parse(BE1);
            r.sport = 53;
            r.dst = Ip4.parse(Node.CLIENT);
            r.dport = 5353;
            n.e.receive(r, "eth1");
        }
        assertThat(c.expiry() - n.now()).isEqualTo(120 * SEC);
        assertThat(c.has(CtStatus.ASSURED)).isTrue();
        assertThat(CtFormat.conntrackLine(c, n.now(), false, false)).isEqualTo("udp      17 120 src=10.250.1.2 "
                + "dst=10.250.2.2 sport=5353 dport=53 src=10.250.2.2 dst=10.250.1.2 sport=53 dport=5353 [ASSURED] "
                + "mark=0 use=1");
    }

    @Test
    void icmpEchoIsTracked30s() {
        Node n = new Node();
        Packet q = n.e.packet();
        q.proto = IpProto.ICMP;
        q.icmpType = 8;
        q.sport = 77;
        q.src = Ip4.parse(Node.CLIENT);
        q.dst = Ip4.parse(BE1);
        n.e.receive(q, "eth0");
        Conn c = n.table.lookup(IpProto.ICMP, Ip4.parse(Node.CLIENT), Ip4.parse(BE1), 77, 8 << 8);
        assertThat(CtFormat.procLine(c, n.now())).isEqualTo("ipv4     2 icmp     1 30 src=10.250.1.2 dst=10.250.2.2 "
                + "type=8 code=0 id=77 [UNREPLIED] src=10.250.2.2 dst=10.250.1.2 type=0 code=0 id=77 mark=0 zone=0 use=2");
        Packet r = n.e.packet();
        r.proto = IpProto.ICMP;
        r.icmpType = Icmp.ECHO_REPLY;
        r.sport = 77;
        r.src = Ip4.parse(BE1);
        r.dst = Ip4.parse(Node.CLIENT);
        n.e.receive(r, "eth1");
        assertThat(c.has(CtStatus.SEEN_REPLY)).isTrue();
        List<String> errors = new java.util.ArrayList<>();
        String line = CtFormat.procLine(c, n.now());
        assertThat(CtFormat.format(CtParser.parseLine(line, 1, errors))).isEqualTo(line);
    }

    @Test
    void tcp1_synOnTimeWaitDeletesTheEntryAndIsNatedAfresh_s1ToS2() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        String be = n.handshake(40000);
        n.requestAndServerClose(40000, be);
        n.endpoints.set(0, BE2);
        n.advance(1);
        assertThat(Ip4.format(n.client(40000, SYN, 90000, 0).get(0).dst())).isEqualTo(BE2);
        assertThat(n.table.count()).isEqualTo(1);
    }

    @Test
    void tcp2_synOnCloseReachedByClientRstIsReopened() {
        Node n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
        n.handshake(40000);
        n.client(40000, RST, 1001, 0);
        n.endpoints.set(0, BE2);
        n.advance(1);
        assertThat(Ip4.format(n.client(40000, SYN, 90000, 0).get(0).dst())).isEqualTo(BE2);
    }

    @Test
    void expiredEntriesSharingABucketAreAllReapedByOneLookup() {
        Node n = new Node();
        n.table.setBuckets(1);
        n.client(40000, SYN, 1000, 0);
        n.client(40001, SYN, 1000, 0);
        n.handshake(40002);
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_SYN_SENT, 120);
        Conn live = n.entry(40002);
        // jump past the SYN_SENT expiry without running the timers, then look up
        Conn a = n.entry(40000);
        Conn b = n.entry(40001);
        n.advance(120);
        assertThat(a.has(CtStatus.DYING)).isTrue();
        assertThat(b.has(CtStatus.DYING)).isTrue();
        assertThat(n.entry(40002)).isSameAs(live);
        assertThat(n.table.count()).isEqualTo(1);
    }

    @Test
    void timeoutSelection_threeIdenticalAckRetransmissionsGiveRetransTimeout() {
        Node n = new Node();
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_MAX_RETRANS, 200);
        n.handshake(40000); // last segment: client ACK seq 1001 ack 5001
        Conn c = n.entry(40000);
        n.client(40000, ACK, 1001, 5001);
        n.client(40000, ACK, 1001, 5001);
        assertThat(c.expiry() - n.now()).as("retrans 2").isEqualTo(432000 * SEC);
        n.client(40000, ACK, 1001, 5001);
        assertThat(c.expiry() - n.now()).as("retrans 3 >= nf_conntrack_tcp_max_retrans").isEqualTo(200 * SEC);
        n.client(Node.CLIENT, 40000, PSH | ACK, 1001, 5001, 0);
        n.server(BE1, 40000, ACK, 5001, 1001);
        assertThat(c.expiry() - n.now()).as("any change resets the counter").isEqualTo(432000 * SEC);
    }

    @Test
    void timeoutSelection_zeroWindowCapsAtRetrans() {
        Node n = new Node();
        n.handshake(40000);
        Conn c = n.entry(40000);
        Packet p = n.seg(BE1, 8080, Node.CLIENT, 40000, ACK, 5001, 1001, 0);
        p.window = 0;
        n.e.receive(p, "eth1");
        n.e.readOutbound();
        assertThat(c.expiry() - n.now()).isEqualTo(300 * SEC);
    }
}
