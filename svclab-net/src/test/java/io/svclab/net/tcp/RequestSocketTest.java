package io.svclab.net.tcp;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listener's request socket meets SYNs ({@code tcp_check_req}) and retransmits its SYN-ACK. */
class RequestSocketTest {

    private EmbeddedNetns e;
    private TcpStack tcp;

    private void setUp() {
        e = new EmbeddedNetns("6.12");
        e.device("eth0", "10.0.0.1", 24);
        tcp = TcpStack.install(e.ns());
        tcp.listen(80, new ServerSpec());
        syn(1000);
        assertThat(e.readOutbound()).hasSize(1);
    }

    private void syn(int seq) {
        Packet p = e.tcp("10.0.0.2", 5555, "10.0.0.1", 80, TcpFlags.SYN);
        p.seq = seq;
        e.receive(p, "eth0");
    }

    private String out() {
        StringBuilder b = new StringBuilder();
        for (EmbeddedNetns.Sent s : e.readOutbound()) {
            b.append(TcpFlags.format(s.tcpFlags())).append(" seq ").append(Integer.toUnsignedString(s.seq()))
                    .append(" ack ").append(Integer.toUnsignedString(s.ack())).append(';');
        }
        return b.toString();
    }

    @Test
    void anotherSynInsideTheWindowResetsTheRequest() {
        setUp();
        syn(5000);
        assertThat(out()).isEqualTo("[R.] seq 0 ack 5001;");
        assertThat(tcp.socketState(80, Ip4.parse("10.0.0.2"), 5555)).isNull();
    }

    @Test
    void anOlderSynIsAnsweredWithTheRequestsAck() {
        setUp();
        syn(900);
        assertThat(out()).endsWith(" ack 1001;").startsWith("[.] seq ");
        assertThat(tcp.socketState(80, Ip4.parse("10.0.0.2"), 5555)).isEqualTo(TcpState.SYN_RECV);
    }

    @Test
    void synAckIsRetransmittedAt1_3_7_15_31sAndTheRequestDroppedAt63s() {
        setUp();
        StringBuilder times = new StringBuilder();
        for (int s = 1; s <= 70; s++) {
            e.runFor(1_000_000_000L);
            if (!e.readOutbound().isEmpty()) {
                times.append(s).append(' ');
            }
            if (s == 62) {
                assertThat(tcp.socketCount()).isEqualTo(1);
            }
        }
        assertThat(times.toString()).isEqualTo("1 3 7 15 31 ");
        assertThat(tcp.socketCount()).isZero();
    }
}
