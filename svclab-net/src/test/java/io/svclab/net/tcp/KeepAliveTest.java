package io.svclab.net.tcp;

import io.svclab.sim.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.svclab.net.tcp.TcpHosts.CLIENT;
import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static io.svclab.net.tcp.TcpHosts.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive connections: several request/response exchanges on one connection, the client's idle
 * timeout, the server's keep-alive timeout, and what a request meets when the peer reset or
 * vanished. Topology of {@link TcpHosts}: 100 us one way, the router logs 50 us after sending.
 */
class KeepAliveTest {

    /** Records what the application learns: {@code time request RESULT} and {@code time closed RESULT}. */
    private static final class Recorder implements KeepAliveClient {
        final TcpHosts t;
        final List<String> events = new ArrayList<>();
        ConnectionRecord closed;

        Recorder(TcpHosts t) {
            this.t = t;
        }

        @Override
        public void requestDone(KeepAliveConnection c, ConnectResult result) {
            events.add(t.sim.now() + " request " + result);
        }

        @Override
        public void closed(KeepAliveConnection c, ConnectionRecord record) {
            events.add(t.sim.now() + " closed " + record.result());
            closed = record;
        }
    }

    private static KeepAliveConnection open(TcpHosts t, Recorder r, ConnectSpec spec, long idleNs) {
        return t.clientTcp.connectKeepAlive(spec, idleNs, r);
    }

    private static void requestAt(TcpHosts t, KeepAliveConnection c, long at) {
        t.sim.schedule(at, Priority.CONTROL, c::request);
    }

    @Test
    void twoRequestsOnOneConnectionThenTheIdleTimeoutClosesWithFin() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().responseBytes(1000));
        Recorder r = new Recorder(t);
        KeepAliveConnection c = open(t, r, t.toServer().withExchange(100, 1000), 5 * S);
        t.runUntil(S - 1);
        assertThat(c.isIdle()).isTrue();
        requestAt(t, c, S);
        t.runUntil(10 * S);
        assertThat(t.wire).containsExactly(
                "150000 c>s [S] seq 0 len 0",
                "350000 s>c [S.] seq 0 ack 1 len 0",
                "450000 c>s [.] seq 1 ack 1 len 0",
                "450000 c>s [P.] seq 1 ack 1 len 100",
                "550000 s>c [.] seq 1 ack 101 len 0",
                "550000 s>c [P.] seq 1 ack 101 len 1000",
                "650000 c>s [.] seq 101 ack 1001 len 0",
                // the second request on the same connection, no new handshake
                "1000050000 c>s [P.] seq 101 ack 1001 len 100",
                "1000150000 s>c [.] seq 1001 ack 201 len 0",
                "1000150000 s>c [P.] seq 1001 ack 201 len 1000",
                "1000250000 c>s [.] seq 201 ack 2001 len 0",
                // idle since 1.0002 s: the pool's 5 s idle timeout closes with FIN at 6.0002 s
                "6000250000 c>s [F.] seq 201 ack 2001 len 0",
                "6000350000 s>c [F.] seq 2001 ack 202 len 0",
                "6000450000 c>s [.] seq 202 ack 2002 len 0");
        assertThat(r.events).containsExactly("600000 request OK", "1000200000 request OK", "6000200000 closed OK");
        assertThat(c.requestsDone()).isEqualTo(2);
        assertThat(c.isOpen()).isFalse();
        assertThat(r.closed.connectNs()).isEqualTo(400_000);
        assertThat(r.closed.endNs()).isEqualTo(6_000_200_000L);
        assertThat(t.clientTcp.socketState(r.closed.localPort(), SERVER, 8080)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(t.accepted).hasSize(1);
    }

    @Test
    void serverKeepAliveTimeoutClosesTheIdleConnectionWithFinAndThePoolClosesToo() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().keepAliveTimeoutNs(2 * S));
        Recorder r = new Recorder(t);
        open(t, r, t.toServer(), 90 * S);
        t.runUntil(5 * S);
        // the response leaves the server at 0.5 ms; 2 s later the server closes
        assertThat(t.wire).endsWith(
                "2000550000 s>c [F.] seq 1001 ack 101 len 0",
                "2000650000 c>s [F.] seq 101 ack 1002 len 0",
                "2000750000 s>c [.] seq 1002 ack 102 len 0");
        assertThat(r.events).containsExactly("600000 request OK", "2000600000 closed OK");
        assertThat(t.serverTcp.socketState(8080, CLIENT, r.closed.localPort())).isEqualTo(TcpState.TIME_WAIT);
        assertThat(t.clientTcp.socketCount()).isZero();
    }

    @Test
    void aRequestRacingTheServersKeepAliveFinFailsWithEofAndTheOrphanResets() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().keepAliveTimeoutNs(2 * S));
        Recorder r = new Recorder(t);
        KeepAliveConnection c = open(t, r, t.toServer(), 90 * S);
        // the server's FIN leaves at 2.0005 s and reaches the client at 2.0006 s; the request leaves before
        requestAt(t, c, 2_000_550_000L);
        t.runUntil(5 * S);
        assertThat(t.wire).contains("2000550000 s>c [F.] seq 1001 ack 101 len 0",
                "2000600000 c>s [P.] seq 101 ack 1001 len 100",
                // data after the server's shutdown: tcp_reset, then tcp_v4_send_reset with seq = its ack
                "2000700000 s>c [R] seq 1001 len 0");
        assertThat(r.events).containsExactly("600000 request OK", "2000600000 request EOF", "2000600000 closed EOF");
    }

    @Test
    void aResetFromALivePeerThatForgotTheConnectionFailsTheNextRequestWithEconnreset() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        Recorder r = new Recorder(t);
        KeepAliveConnection c = open(t, r, t.toServer(), 90 * S);
        t.runUntil(S / 2);
        assertThat(t.serverTcp.vanish(8080)).isEqualTo(1); // the server side forgets it silently
        requestAt(t, c, S);
        t.runUntil(2 * S);
        // an ACK for the listener's port: tcp_v4_send_reset with seq = its ack
        assertThat(t.wire).endsWith("1000050000 c>s [P.] seq 101 ack 1001 len 100", "1000150000 s>c [R] seq 1001 len 0");
        assertThat(r.events).containsExactly("600000 request OK", "1000200000 request ECONNRESET",
                "1000200000 closed ECONNRESET");
        assertThat(t.clientTcp.socketCount()).isZero();
    }

    @Test
    void aVanishedPeerGetsTheRequestRetransmittedOnTheRtoScheduleUntilTcpRetries2() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        Recorder r = new Recorder(t);
        KeepAliveConnection c = open(t, r, t.toServer(), 0);
        t.runUntil(S / 2);
        t.blackhole = true;
        requestAt(t, c, S);
        t.runUntil(1000 * S);
        // handshake RTT 400 us: RTO = 0.4 ms + max(0.8 ms, 200 ms) = 200.4 ms, doubling to 120 s
        List<String> data = t.clientOut.stream().filter(l -> l.endsWith("[P.]")).map(l -> l.split(" ")[0]).toList();
        assertThat(data).startsWith("400000", "1000000000", "1200400000", "1601200000", "2402800000", "4006000000",
                "7212400000");
        assertThat(data).hasSize(17); // the first request, the second one and its 15 retransmissions
        // tcp_retries2=15: 924.6 s after the first transmission, at the next expiry (as for any data: +0.4092 s)
        assertThat(r.events).containsExactly("600000 request OK", "926009200000 request ETIMEDOUT",
                "926009200000 closed ETIMEDOUT");
    }

    @Test
    void theApplicationTimeoutEndsARequestToAVanishedPeerFirst() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        Recorder r = new Recorder(t);
        KeepAliveConnection c = open(t, r, t.toServer().withAppTimeout(3 * S), 0);
        t.runUntil(S / 2);
        t.blackhole = true;
        requestAt(t, c, 10 * S);
        t.runUntil(20 * S);
        // the timeout runs from the request (10 s), not from the connect
        assertThat(r.events).containsExactly("600000 request OK", "13000000000 request APP_TIMEOUT",
                "13000000000 closed APP_TIMEOUT");
        assertThat(t.clientOut).contains("13000000000 [F.]");
    }

    @Test
    void aConnectFailureFailsTheFirstRequestWithTheConnectsError() {
        TcpHosts t = new TcpHosts("6.12");
        Recorder r = new Recorder(t);
        KeepAliveConnection c = open(t, r, t.toServer(), 0);
        t.runUntil(S);
        assertThat(r.events).containsExactly("400000 request ECONNREFUSED", "400000 closed ECONNREFUSED");
        assertThat(c.isOpen()).isFalse();
        assertThat(c.requestsDone()).isZero();
        assertThat(MS).isPositive();
    }
}
