package io.svclab.net.tcp;

import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.CLIENT;
import static io.svclab.net.tcp.TcpHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

/** A SYN meets a stale ESTABLISHED socket (spec §7.4 challenge ACK row, §7.5, CL-6). */
class ChallengeAckTest {

    @Test
    void challengeAckIsAnsweredWithRstAndTheSynIsRetransmittedEightMsLater() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.connect(t.toServer().withSourcePort(40000).withHold(100 * S));
        t.runUntil(S);
        assertThat(t.clientTcp.vanish(40000)).isEqualTo(1); // the client is gone, the server still holds ESTABLISHED
        t.wire.clear();
        t.clientOut.clear();
        t.connect(t.toServer().withSourcePort(40000));
        t.runUntil(2 * S);
        assertThat(t.clientOut).containsExactly("1000000000 [S]", "1000200000 [R]", "1008200000 [S]",
                "1008400000 [.]", "1008400000 [P.]", "1008600000 [.]", "1008600000 [F.]", "1008800000 [.]");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.OK);
        assertThat(r.connectNs()).isEqualTo(8_400_000); // observed 9.4 ms on 6.18
        assertThat(r.synRetransmissions()).isEqualTo(1);
        assertThat(t.serverTcp.challengeAcks()).isEqualTo(1);
        assertThat(t.serverTcp.socketState(8080, CLIENT, 40000)).isNull();
        assertThat(t.trace.of(TcpDecision.class)).extracting(d -> d.time() + " " + d.where() + " " + d.format())
                .containsExactly("0 client tcp syn sent", "1000000000 client tcp syn sent",
                        "1000100000 server tcp challenge ack in ESTABLISHED",
                        "1000200000 client tcp syn_sent: unacceptable ack, rst and syn retransmission in 8 ms",
                        "1008200000 client tcp syn retransmission 1, next rto 1000 ms");
    }
}
