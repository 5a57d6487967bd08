package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.ACK;
import static io.svclab.net.TcpFlags.FIN;
import static io.svclab.net.TcpFlags.RST;
import static io.svclab.net.TcpFlags.SYN;
import static io.svclab.net.conntrack.Node.BE1;
import static io.svclab.net.conntrack.Node.BE2;
import static io.svclab.net.conntrack.Node.SEC;
import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Spec §3.6, one test per row: an original-direction SYN for a tuple that already has an entry.
 * The node DNATs to be1 for the first connection; the rules then switch to be2 only, so "old
 * binding" lands on be1 and "fresh" on be2. The new SYN uses ISN 90000 (a new connect()).
 */
class DecisionTableTest {

    static final int PORT = 40000;
    static final int NEW_ISN = 90000;

    Node n;

    @BeforeEach
    void setUp() {
        n = new Node();
        n.endpoints.clear();
        n.endpoints.add(BE1);
    }

    private String reuse() {
        n.endpoints.clear();
        n.endpoints.add(BE2);
        n.advance(5);
        List<EmbeddedNetns.Sent> out = n.client(PORT, SYN, NEW_ISN, 0);
        assertThat(out).hasSize(1);
        return Ip4.format(out.get(0).dst());
    }

    @Test
    void noEntryOrExpired_newEntrySynSent_freshNat_NEW_120sAtConfirm() {
        n.handshake(PORT);
        n.client(PORT, RST, 1001, 0); // client RST: CLOSE, 10 s
        n.advance(10); // entry exists iff now < expiry: gone at exactly 10 s
        assertThat(n.entry(PORT)).isNull();
        n.endpoints.set(0, BE2);
        List<EmbeddedNetns.Sent> out = n.client(PORT, SYN, NEW_ISN, 0);
        assertThat(Ip4.format(out.get(0).dst())).isEqualTo(BE2);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
        Conn c = n.entry(PORT);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("SYN_SENT");
        assertThat(c.expiry() - n.now()).isEqualTo(120 * SEC);
    }

    @Test
    void synSent_sameEntry_oldBinding_NEW_timeoutNotRefreshed() {
        n.client(PORT, SYN, 1000, 0); // unanswered
        Conn c = n.entry(PORT);
        long expiry = c.expiry();
        assertThat(reuse()).isEqualTo(BE1);
        assertThat(n.entry(PORT)).isSameAs(c);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("SYN_SENT");
        assertThat(n.lastCtstate()).isEqualTo("NEW");
        assertThat(c.expiry()).isEqualTo(expiry);
        assertThat(c.has(CtStatus.SEEN_REPLY)).isFalse();
        assertThat(c.td[Conn.TD_END + Conn.DIR_ORIGINAL])
                .as("sender window re-initialised from the higher ISN").isEqualTo(NEW_ISN + 1);
    }

    @Test
    void synRecv_ignored_oldBinding_ESTABLISHED_notRefreshed() {
        n.client(PORT, SYN, 1000, 0);
        n.server(BE1, PORT, SYN | ACK, 5000, 1001);
        assertIgnored("SYN_RECV");
    }

    @Test
    void established_ignored_oldBinding_ESTABLISHED_notRefreshed() {
        n.handshake(PORT);
        assertIgnored("ESTABLISHED");
    }

    @Test
    void finWait_ignored_oldBinding_ESTABLISHED_notRefreshed() {
        n.handshake(PORT);
        n.client(PORT, FIN | ACK, 1001, 5001);
        assertIgnored("FIN_WAIT");
    }

    @Test
    void closeWait_ignored_oldBinding_ESTABLISHED_notRefreshed() {
        n.handshake(PORT);
        n.client(PORT, FIN | ACK, 1001, 5001);
        n.server(BE1, PORT, ACK, 5001, 1002);
        assertIgnored("CLOSE_WAIT");
    }

    @Test
    void lastAck_ignored_challengeAckExceptionArmed_oldBinding_ESTABLISHED() {
        n.handshake(PORT);
        n.client(PORT, FIN | ACK, 1001, 5001);
        n.server(BE1, PORT, FIN | ACK, 5001, 1002);
        assertIgnored("LAST_ACK");
        Conn c = n.entry(PORT);
        assertThat(c.lastFlags & Conn.TF_EXP_CHALLENGE_ACK).isNotZero();
        // the old server's challenge ACK is not the last ACK: the state stays LAST_ACK
        n.server(BE1, PORT, ACK, 5002, 1002);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("LAST_ACK");
    }

    @Test
    void timeWait_oldKilled_lookupRepeated_newSynSent_freshNat_NEW() {
        n.handshake(PORT);
        n.requestAndServerClose(PORT, BE1);
        Conn old = n.entry(PORT);
        assertThat(TcpConntrackTable.name(old.tcpState())).isEqualTo("TIME_WAIT");
        assertThat(reuse()).isEqualTo(BE2);
        Conn fresh = n.entry(PORT);
        assertThat(fresh).isNotSameAs(old);
        assertThat(old.has(CtStatus.DYING)).isTrue();
        assertThat(n.lastCtstate()).isEqualTo("NEW");
        assertThat(TcpConntrackTable.name(fresh.tcpState())).isEqualTo("SYN_SENT");
        assertThat(fresh.expiry() - n.now()).isEqualTo(120 * SEC);
        assertThat(n.table.statInvalid()).as("a reopen repeat is not counted invalid").isZero();
    }

    @Test
    void close_afterFin_reopened_freshNat() {
        n.handshake(PORT);
        n.client(PORT, FIN | ACK, 1001, 5001);
        n.server(BE1, PORT, RST, 5001, 0); // server RST after the client's FIN: CLOSE, FIN seen
        assertThat(TcpConntrackTable.name(n.entry(PORT).tcpState())).isEqualTo("CLOSE");
        assertThat(reuse()).isEqualTo(BE2);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
    }

    @Test
    void close_lastRstFromClient_reopened_freshNat_NEW() {
        n.handshake(PORT);
        n.client(PORT, RST, 1001, 0);
        assertThat(TcpConntrackTable.name(n.entry(PORT).tcpState())).isEqualTo("CLOSE");
        assertThat(reuse()).isEqualTo(BE2);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
        assertThat(TcpConntrackTable.name(n.entry(PORT).tcpState())).isEqualTo("SYN_SENT");
    }

    @Test
    void close_rstFromServer_noFin_ignored_oldBinding_ESTABLISHED_notRefreshed() {
        n.handshake(PORT);
        n.server(BE1, PORT, RST, 5001, 0);
        assertIgnored("CLOSE");
    }

    @Test
    void close_noReplyEverSeen_doesNotExist_rstDeletes_freshNat() {
        n.client(PORT, SYN, 1000, 0);
        n.server(BE1, PORT, RST | ACK, 0, 1001); // connection refused
        assertThat(n.entry(PORT)).isNull();
        assertThat(reuse()).isEqualTo(BE2);
        assertThat(n.lastCtstate()).isEqualTo("NEW");
    }

    @Test
    void synSent2_staysSynSent2_oldBinding_ESTABLISHED_refreshed() {
        n.client(PORT, SYN, 1000, 0);
        n.server(BE1, PORT, SYN, 5000, 0); // simultaneous open: a SYN from the reply side
        Conn c = n.entry(PORT);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("SYN_SENT2");
        n.endpoints.set(0, BE2);
        n.advance(5);
        List<EmbeddedNetns.Sent> out = n.client(PORT, SYN, 1000, 0);
        assertThat(Ip4.format(out.get(0).dst())).isEqualTo(BE1);
        assertThat(n.lastCtstate()).isEqualTo("ESTABLISHED");
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo("SYN_SENT2");
        assertThat(c.expiry() - n.now()).isEqualTo(120 * SEC);
    }

    private void assertIgnored(String state) {
        Conn c = n.entry(PORT);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo(state);
        long expiry = c.expiry();
        int runs = n.ruleRuns;
        assertThat(reuse()).isEqualTo(BE1);
        assertThat(n.entry(PORT)).isSameAs(c);
        assertThat(TcpConntrackTable.name(c.tcpState())).isEqualTo(state);
        assertThat(n.lastCtstate()).isEqualTo("ESTABLISHED");
        assertThat(c.expiry()).as("timeout not refreshed").isEqualTo(expiry);
        assertThat(n.ruleRuns).as("nat rules not traversed").isEqualTo(runs);
    }
}
