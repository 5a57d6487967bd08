package io.svclab.net.tcp;

import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.S;
import static io.svclab.net.tcp.TcpHosts.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** Retransmission of data after the handshake ({@code tcp_retransmit_timer}, {@code retransmits_timed_out}). */
class DataRetransmissionTest {

    @Test
    void lostRequestIsRetransmittedFromRttPlusRtoMinDoublingAndTimesOutAfterRetries2() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.dropClientData = true;
        t.connect(t.toServer());
        t.runUntil(1000 * S);
        // handshake RTT 400 us (first-packet ARP): RTO = 0.4 ms + max(0.8 ms, 200 ms) = 200.4 ms, doubling to 120 s
        assertThat(t.clientOut).filteredOn(l -> l.endsWith("[P.]")).extracting(l -> l.split(" ")[0]).startsWith(
                "400000", "200800000", "601600000", "1403200000", "3006400000");
        assertThat(t.clientOut).filteredOn(l -> l.endsWith("[P.]")).hasSize(16); // the original and 15 retries
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.ETIMEDOUT);
        // tcp_retries2=15: give up at the first expiry 924.6 s after the first transmission: 925.0096 s
        assertThat(r.endNs()).isEqualTo(925_009_600_000L);
        assertThat(r.connectNs()).isEqualTo(400_000);
    }

    @Test
    void appTimeoutOnAnEstablishedConnectionClosesWithFin() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().serviceTimeNs(10 * S));
        t.connect(t.toServer().withAppTimeout(2 * S));
        t.runUntil(2 * S);
        assertThat(t.last().result()).isEqualTo(ConnectResult.APP_TIMEOUT);
        assertThat(t.last().endNs()).isEqualTo(2 * S);
        assertThat(t.clientOut).last().isEqualTo("2000000000 [F.]");
        // the late response hits the orphan, which answers with RST (data after close)
        t.runUntil(11 * S);
        assertThat(t.clientOut).last().isEqualTo("10000600000 [R]");
        assertThat(t.clientTcp.socketCount()).isZero();
        assertThat(t.serverTcp.socketCount()).isZero();
        assertThat(t.clientTcp.socketState(t.last().localPort(), SERVER, 8080)).isNull();
    }
}
