package io.svclab.net.tcp;

import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

/** Accept queue overflow drops SYNs silently ({@code tcp_conn_request}, {@code sk_acceptq_is_full}). */
class ListenBacklogTest {

    @Test
    void fullAcceptQueueDropsSynsUntilTheApplicationAccepts() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().backlog(0));
        t.serverTcp.setAccepting(8080, false);
        t.connect(t.toServer());
        t.runUntil(10 * MS);
        assertThat(t.serverTcp.acceptQueueLength(8080)).isEqualTo(1); // backlog 0 still admits one
        t.connect(t.toServer());
        t.runUntil(1500 * MS);
        assertThat(t.serverTcp.listenOverflows()).isEqualTo(2); // SYNs at 10 ms and 1.01 s dropped
        t.serverTcp.setAccepting(8080, true);
        t.runUntil(3 * S);
        assertThat(t.records).extracting(ConnectionRecord::result).containsExactly(ConnectResult.OK, ConnectResult.OK);
        ConnectionRecord second = t.last();
        assertThat(second.synRetransmissions()).isEqualTo(2);
        assertThat(second.connectNs()).isEqualTo(2 * S + 200_000);
        assertThat(t.accepted).hasSize(2);
    }
}
