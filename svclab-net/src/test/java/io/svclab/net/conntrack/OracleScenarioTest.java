package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.ACK;
import static io.svclab.net.TcpFlags.FIN;
import static io.svclab.net.TcpFlags.PSH;
import static io.svclab.net.TcpFlags.RST;
import static io.svclab.net.TcpFlags.SYN;
import static io.svclab.net.conntrack.Node.BE1;
import static io.svclab.net.conntrack.Node.BE2;
import static io.svclab.net.conntrack.Node.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The real-kernel observations of oracle part A (fixtures/iptables-reuse-nth.*, Linux 6.18),
 * replayed by hand with literal sequence numbers through a node with conntrack and a
 * kube-proxy-like DNAT (statistic --mode nth --every 2 over be1, be2). Expected lines are copied
 * from the transcript.
 */
class OracleScenarioTest {

    private static String firstSynBackend(List<EmbeddedNetns.Sent> out) {
        return Ip4.format(out.get(0).dst());
    }

    @Test
    void s0_sixConnectionsFromOnePort_noRuleChange_natRecomputedOnEveryReuse() {
        Node n = new Node();
        List<String> backends = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String be = n.handshake(40000);
            backends.add(be.equals(BE1) ? "be1" : "be2");
            n.requestAndServerClose(40000, be);
            n.advance(0.4);
            lines.add(n.proc(40000));
        }
        assertThat(backends).containsExactly("be1", "be2", "be1", "be2", "be1", "be2");
        // transcript lines 14 and 18
        assertThat(lines.get(0)).isEqualTo("ipv4     2 tcp      6 119 TIME_WAIT src=10.250.1.2 dst=10.250.100.100 "
                + "sport=40000 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40000 [ASSURED] mark=0 zone=0 use=2");
        assertThat(lines.get(1)).isEqualTo("ipv4     2 tcp      6 119 TIME_WAIT src=10.250.1.2 dst=10.250.100.100 "
                + "sport=40000 dport=80 src=10.250.3.2 dst=10.250.1.2 sport=8080 dport=40000 [ASSURED] mark=0 zone=0 use=2");
        assertThat(n.table.count()).isEqualTo(1);
    }

    @Test
    void s1_serverClosesFirst_timeWait_backendRemoved_reuseGoesToBe2() {
        Node n = new Node();
        String be = n.handshake(40001);
        assertThat(be).isEqualTo(BE1);
        n.requestAndServerClose(40001, be);
        n.advance(0.4);
        assertThat(n.proc(40001)).isEqualTo("ipv4     2 tcp      6 119 TIME_WAIT src=10.250.1.2 dst=10.250.100.100 "
                + "sport=40001 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40001 [ASSURED] mark=0 zone=0 use=2");
        n.endpoints.remove(BE1);
        assertThat(n.handshake(40001)).isEqualTo(BE2);
    }

    @Test
    void s2_clientClosesFirst_timeWait_reuseIsFresh() {
        Node n = new Node();
        String be = n.handshake(40002);
        n.client(CLIENT, 40002, PSH | ACK, 1001, 5001, 100);
        n.server(be, CLIENT, 40002, PSH | ACK, 5001, 1101, 200);
        n.client(40002, FIN | ACK, 1101, 5201); // client closes first: FIN_WAIT
        n.server(be, CLIENT, 40002, FIN | ACK, 5201, 1102, 0); // server ACKs with its FIN: LAST_ACK
        n.client(40002, ACK, 1102, 5202); // TIME_WAIT
        assertThat(TcpConntrackTable.name(n.entry(40002).tcpState())).isEqualTo("TIME_WAIT");
        n.advance(1.1); // client tcp_tw_reuse=1 after > 1 s
        n.endpoints.remove(be);
        String other = be.equals(BE1) ? BE2 : BE1;
        assertThat(n.handshake(40002)).isEqualTo(other);
    }

    @Test
    void s3_clientRst_close_reuseIsFresh() {
        Node n = new Node();
        String be = n.handshake(40003);
        n.client(CLIENT, 40003, PSH | ACK, 1001, 5001, 100);
        n.server(be, CLIENT, 40003, PSH | ACK, 5001, 1101, 200);
        n.client(40003, RST | ACK, 1101, 5201);
        n.advance(0.4);
        // transcript line 67
        assertThat(n.proc(40003)).isEqualTo("ipv4     2 tcp      6 9 CLOSE src=10.250.1.2 dst=10.250.100.100 "
                + "sport=40003 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40003 [ASSURED] mark=0 zone=0 use=2");
        n.endpoints.remove(BE1);
        assertThat(n.handshake(40003)).isEqualTo(BE2);
    }

    @Test
    void s4_longLivedConnectionKeepsItsDnatAfterBackendRemoved() {
        Node n = new Node();
        String be = n.handshake(40004);
        assertThat(be).isEqualTo(BE1);
        n.advance(0.4);
        // transcript line 79
        assertThat(n.proc(40004)).isEqualTo("ipv4     2 tcp      6 431999 ESTABLISHED src=10.250.1.2 "
                + "dst=10.250.100.100 sport=40004 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40004 "
                + "[ASSURED] mark=0 zone=0 use=2");
        n.endpoints.remove(BE1);
        int seq = 1001;
        int sseq = 5001;
        for (int ping = 0; ping < 4; ping++) {
            n.advance(0.5);
            List<EmbeddedNetns.Sent> out = n.client(CLIENT, 40004, PSH | ACK, seq, sseq, 10);
            assertThat(firstSynBackend(out)).isEqualTo(BE1);
            seq += 10;
            List<EmbeddedNetns.Sent> back = n.server(BE1, CLIENT, 40004, PSH | ACK, sseq, seq, 20);
            assertThat(Ip4.format(back.get(0).src())).isEqualTo(Node.VIP);
            assertThat(back.get(0).sport()).isEqualTo(80);
            sseq += 20;
            n.client(40004, ACK, seq, sseq);
        }
    }

    @Test
    void s5_staleEstablished_synFollowsOldDnat_challengeAck_clientRst_retransmitReopensToBe2() {
        Node n = new Node();
        String be = n.handshake(40005);
        assertThat(be).isEqualTo(BE1);
        n.client(CLIENT, 40005, PSH | ACK, 1001, 5001, 100);
        n.server(BE1, CLIENT, 40005, PSH | ACK, 5001, 1101, 200);
        n.client(40005, ACK, 1101, 5201);
        // the client vanishes silently; be1 leaves the rules but keeps running
        n.endpoints.remove(BE1);
        n.advance(1);
        List<EmbeddedNetns.Sent> syn = n.client(40005, SYN, 70000, 0);
        assertThat(firstSynBackend(syn)).isEqualTo(BE1);
        assertThat(n.lastCtstate()).isEqualTo("ESTABLISHED");
        // be1 answers with an RFC 5961 challenge ACK for its old connection
        n.server(BE1, CLIENT, 40005, ACK, 5201, 1101, 0);
        // the client answers RST with seq = the challenge ACK's ack: CLOSE, last RST from the client
        n.client(40005, RST, 1101, 0);
        assertThat(TcpConntrackTable.name(n.entry(40005).tcpState())).isEqualTo("CLOSE");
        n.advanceNs(9_400_000); // the fast SYN retransmit, 9.4 ms
        List<EmbeddedNetns.Sent> retry = n.client(40005, SYN, 70000, 0);
        assertThat(firstSynBackend(retry)).isEqualTo(BE2);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
    }

    @Test
    void s6_staleEstablished_deadBackend_synFollowsOldDnat_untilConntrackDelete() {
        Node n = new Node();
        n.handshake(40006);
        n.client(CLIENT, 40006, PSH | ACK, 1001, 5001, 100);
        n.server(BE1, CLIENT, 40006, PSH | ACK, 5001, 1101, 200);
        n.client(40006, ACK, 1101, 5201);
        n.endpoints.remove(BE1);
        n.advance(1);
        // SYN and its retransmissions (0, 1, 2 s) all go to the dead be1; the entry stays ESTABLISHED
        for (int t : new int[] {0, 1, 1}) {
            n.advance(t);
            assertThat(firstSynBackend(n.client(40006, SYN, 80000, 0))).isEqualTo(BE1);
        }
        n.advance(0.9); // the oracle's conntrack -D ran 3.9 s after the last accepted segment
        Conn c = n.entry(40006);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("ESTABLISHED");
        assertThat(c.remainingSeconds(n.now())).isEqualTo(431996);
        ConntrackTool.Result r = new ConntrackTool(n.table).run("conntrack -D -p tcp --orig-port-src 40006");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("tcp      6 431996 ESTABLISHED src=10.250.1.2 dst=10.250.100.100 "
                + "sport=40006 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40006 [ASSURED] mark=0 use=1\n");
        assertThat(r.stderr()).isEqualTo("conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted.\n");
        assertThat(firstSynBackend(n.client(40006, SYN, 80000, 0))).isEqualTo(BE2);
    }
}
