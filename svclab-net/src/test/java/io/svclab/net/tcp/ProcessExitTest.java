package io.svclab.net.tcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A server process exits ({@link TcpStack#processExit(int)}): its listener and its connections close. */
class ProcessExitTest {

    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;

    @Test
    void exitWithAHalfOpenRequestInTheListenerDropsItAndTheClientsAckIsAnsweredWithReset() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.connect(t.toServer());
        // the SYN reaches the server at 300 us (two ARP round trips on the way), its ACK only at 500 us
        t.runUntil(350 * US);
        t.serverTcp.processExit(8080);
        t.runUntil(20 * MS);
        assertThat(t.last().result()).isEqualTo(ConnectResult.ECONNRESET);
        assertThat(t.serverTcp.socketCount()).isZero();
    }

    @Test
    void exitWhileARequestIsBeingServedClosesTheConnectionWithFin() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().serviceTimeNs(10 * MS));
        t.connect(t.toServer());
        t.runUntil(2 * MS);
        t.serverTcp.processExit(8080);
        t.runUntil(50 * MS);
        // the server closed before answering: the client reads EOF instead of a response
        assertThat(t.last().result()).isEqualTo(ConnectResult.EOF);
    }
}
