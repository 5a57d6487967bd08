package io.svclab.net.tcp;

import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.CLIENT;
import static io.svclab.net.tcp.TcpHosts.S;
import static io.svclab.net.tcp.TcpHosts.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** One request/response exchange and the close, packet by packet (spec §7.2: the first closer holds TIME_WAIT). */
class ExchangeTest {

    @Test
    void clientFirstCloseLeavesTimeWaitOnTheClient() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().responseBytes(1000));
        t.connect(t.toServer().withExchange(100, 1000));
        t.runUntil(S);
        assertThat(t.wire).containsExactly(
                "150000 c>s [S] seq 0 len 0",
                "350000 s>c [S.] seq 0 ack 1 len 0",
                "450000 c>s [.] seq 1 ack 1 len 0",
                "450000 c>s [P.] seq 1 ack 1 len 100",
                "550000 s>c [.] seq 1 ack 101 len 0",
                "550000 s>c [P.] seq 1 ack 101 len 1000",
                "650000 c>s [.] seq 101 ack 1001 len 0",
                "650000 c>s [F.] seq 101 ack 1001 len 0",
                "750000 s>c [F.] seq 1001 ack 102 len 0",
                "850000 c>s [.] seq 102 ack 1002 len 0");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.OK);
        assertThat(r.connectNs()).isEqualTo(400_000);
        assertThat(r.endNs()).isEqualTo(600_000);
        assertThat(t.clientTcp.socketState(r.localPort(), SERVER, 8080)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(t.serverTcp.socketState(8080, CLIENT, r.localPort())).isNull();
    }

    @Test
    void serverFirstCloseLeavesTimeWaitOnTheServerAndTheClientPortFree() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().responseBytes(1000).closer(Closer.SERVER, CloseKind.FIN));
        t.connect(t.toServer().withExchange(100, 1000).closedBy(Closer.SERVER, CloseKind.FIN));
        t.runUntil(S);
        assertThat(t.wire).containsExactly(
                "150000 c>s [S] seq 0 len 0",
                "350000 s>c [S.] seq 0 ack 1 len 0",
                "450000 c>s [.] seq 1 ack 1 len 0",
                "450000 c>s [P.] seq 1 ack 1 len 100",
                "550000 s>c [.] seq 1 ack 101 len 0",
                "550000 s>c [P.] seq 1 ack 101 len 1000",
                "550000 s>c [F.] seq 1001 ack 101 len 0",
                "650000 c>s [.] seq 101 ack 1001 len 0",
                "650000 c>s [F.] seq 101 ack 1002 len 0",
                "750000 s>c [.] seq 1002 ack 102 len 0");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.OK);
        assertThat(t.clientTcp.socketCount()).isZero();
        assertThat(t.serverTcp.socketState(8080, CLIENT, r.localPort())).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void serviceTimeAndHoldDelayTheResponseAndTheClose() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().serviceTimeNs(5_000_000));
        t.connect(t.toServer().withHold(10_000_000));
        t.runUntil(S);
        // request reaches the server at 500 us, response leaves at 5.5 ms, reaches the client at 5.6 ms
        assertThat(t.wire).contains("5550000 s>c [P.] seq 1 ack 101 len 1000", "15650000 c>s [F.] seq 101 ack 1001 len 0");
        assertThat(t.last().endNs()).isEqualTo(15_600_000);
    }

    @Test
    void clientAbortSendsRstAndLeavesNoTimeWait() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.connect(t.toServer().closedBy(Closer.CLIENT, CloseKind.RST));
        t.runUntil(S);
        assertThat(t.wire).last().isEqualTo("650000 c>s [R.] seq 101 ack 1001 len 0");
        assertThat(t.last().result()).isEqualTo(ConnectResult.OK);
        assertThat(t.clientTcp.socketCount()).isZero();
        assertThat(t.serverTcp.socketCount()).isZero();
    }

    @Test
    void serverRstBeforeTheResponseIsConnectionReset() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().responseBytes(0).closer(Closer.SERVER, CloseKind.RST));
        t.connect(t.toServer());
        t.runUntil(S);
        assertThat(t.last().result()).isEqualTo(ConnectResult.ECONNRESET);
        assertThat(t.last().endNs()).isEqualTo(600_000);
    }

    @Test
    void acceptedConnectionCarriesTheFlowIdOfItsSyn() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.connect(t.toServer());
        t.connect(t.toServer());
        t.runUntil(S);
        assertThat(t.records).extracting(ConnectionRecord::flowId).containsExactly(1L, 2L);
        assertThat(t.accepted).extracting(AcceptedConnection::flowId).containsExactly(1L, 2L);
        assertThat(t.accepted.get(0).namespace()).isSameAs(t.server);
        assertThat(t.accepted.get(0).localPort()).isEqualTo(8080);
    }

    @Test
    void serverThatNeverClosesStaysInCloseWaitAndTheClientOrphanInFinWait2ForFinTimeout() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().closeOnPeerFin(false));
        t.connect(t.toServer());
        t.runUntil(S);
        int port = t.last().localPort();
        assertThat(t.serverTcp.socketState(8080, CLIENT, port)).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(t.clientTcp.socketState(port, SERVER, 8080)).isEqualTo(TcpState.FIN_WAIT2_ORPHAN);
        // the server's ACK of the FIN reached the client at 800 us: tcp_fin_timeout (60 s) later the remnant is gone
        t.runUntil(60 * S + 800_000 - 1);
        assertThat(t.clientTcp.socketState(port, SERVER, 8080)).isEqualTo(TcpState.FIN_WAIT2_ORPHAN);
        t.runUntil(60 * S + 800_000);
        assertThat(t.clientTcp.socketState(port, SERVER, 8080)).isNull();
        assertThat(t.serverTcp.socketState(8080, CLIENT, port)).isEqualTo(TcpState.CLOSE_WAIT);
    }
}
