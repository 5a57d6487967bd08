package io.svclab.net.tcp;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tcp_v4_send_reset} for segments that find no socket (spec §7.5). */
class StatelessResetTest {

    private static EmbeddedNetns host() {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        e.device("eth0", "10.0.0.1", 24);
        TcpStack.install(e.ns()).listen(80, new ServerSpec());
        return e;
    }

    private static String answer(EmbeddedNetns e, int dport, int flags, int seq, int ack, int len) {
        Packet p = e.tcp("10.0.0.2", 5555, "10.0.0.1", dport, flags);
        p.seq = seq;
        p.ack = ack;
        p.payloadLength = len;
        e.receive(p, "eth0");
        return e.readOutbound().toString();
    }

    @Test
    void synToAClosedPortGetsRstAckWithSeqZeroAndAckIsnPlusOne() {
        assertThat(answer(host(), 81, TcpFlags.SYN, 1000, 0, 0))
                .isEqualTo("[0 eth0 10.0.0.1:81 > 10.0.0.2:5555 tcp [R.] seq 0 ack 1001 len 0]");
    }

    @Test
    void segmentWithAckGetsRstWithSeqEqualToItsAck() {
        assertThat(answer(host(), 81, TcpFlags.ACK | TcpFlags.PSH, 1000, 777, 10))
                .isEqualTo("[0 eth0 10.0.0.1:81 > 10.0.0.2:5555 tcp [R] seq 777 len 0]");
    }

    @Test
    void finWithoutAckIsAcknowledgedWithLengthAndFin() {
        assertThat(answer(host(), 81, TcpFlags.FIN, 1000, 0, 10))
                .isEqualTo("[0 eth0 10.0.0.1:81 > 10.0.0.2:5555 tcp [R.] seq 0 ack 1011 len 0]");
    }

    @Test
    void aRstIsNeverAnswered() {
        assertThat(answer(host(), 81, TcpFlags.RST, 1000, 0, 0)).isEqualTo("[]");
    }

    @Test
    void anAckToAListenerGetsRstAndASynGetsASynAck() {
        EmbeddedNetns e = host();
        assertThat(answer(e, 80, TcpFlags.ACK, 1000, 555, 0))
                .isEqualTo("[0 eth0 10.0.0.1:80 > 10.0.0.2:5555 tcp [R] seq 555 len 0]");
        assertThat(answer(e, 80, TcpFlags.SYN, 1000, 0, 0)).contains("tcp [S.]", "ack 1001");
    }
}
