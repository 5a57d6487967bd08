package io.svclab.net.tcp;

import io.svclab.kernel.Sysctl;
import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

/** SYN retransmission schedule and connect timeout (spec conntrack-nat-tcp.md §7.3, CL-4). */
class SynRetransmissionTest {

    private static TcpHosts blackholed(String kernel) {
        TcpHosts t = new TcpHosts(kernel);
        t.listen(new ServerSpec());
        t.blackhole = true;
        t.connect(t.toServer());
        t.runUntil(200 * S);
        return t;
    }

    @Test
    void withoutLinearTimeoutsSynsDoubleAndConnectTimesOutAt127s() {
        TcpHosts t = blackholed("4.19");
        assertThat(t.clientOut).containsExactly("0 [S]", "1000000000 [S]", "3000000000 [S]", "7000000000 [S]",
                "15000000000 [S]", "31000000000 [S]", "63000000000 [S]");
        // the first SYN waits 100 us for ARP; later ones cross the 50 us link at once
        assertThat(t.wire).extracting(l -> l.split(" ")[0]).containsExactly("150000", "1000050000", "3000050000",
                "7000050000", "15000050000", "31000050000", "63000050000");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.ETIMEDOUT);
        assertThat(r.endNs()).isEqualTo(127 * S);
        assertThat(r.connectNs()).isEqualTo(127 * S);
        assertThat(r.synRetransmissions()).isEqualTo(6);
        assertThat(t.clientTcp.socketCount()).isZero();
    }

    @Test
    void withLinearTimeoutsTheFirstFourRetransmissionsAreOneSecondApartAndTimeoutIs131s() {
        TcpHosts t = blackholed("6.12");
        assertThat(t.clientOut).containsExactly("0 [S]", "1000000000 [S]", "2000000000 [S]", "3000000000 [S]",
                "4000000000 [S]", "5000000000 [S]", "7000000000 [S]", "11000000000 [S]", "19000000000 [S]",
                "35000000000 [S]", "67000000000 [S]");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.ETIMEDOUT);
        assertThat(r.endNs()).isEqualTo(131 * S);
        assertThat(r.synRetransmissions()).isEqualTo(10);
    }

    @Test
    void tcpSynRetriesIsHonoured() {
        TcpHosts t = new TcpHosts("4.19");
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_SYN_RETRIES, 2);
        t.blackhole = true;
        t.connect(t.toServer());
        t.runUntil(20 * S);
        assertThat(t.clientOut).containsExactly("0 [S]", "1000000000 [S]", "3000000000 [S]");
        assertThat(t.last().result()).isEqualTo(ConnectResult.ETIMEDOUT);
        assertThat(t.last().endNs()).isEqualTo(7 * S);
    }

    @Test
    void onLinearKernelsTheElapsedLimitOfTcpSynRetriesEndsTheConnectBeforeTheCount() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_SYN_RETRIES, 2);
        t.blackhole = true;
        t.connect(t.toServer());
        t.runUntil(20 * S);
        // the count allows 2 + 4 retransmissions, but retransmits_timed_out(2) = (2 << 2) - 1 = 7 s since the first SYN
        assertThat(t.clientOut).containsExactly("0 [S]", "1000000000 [S]", "2000000000 [S]", "3000000000 [S]",
                "4000000000 [S]", "5000000000 [S]");
        assertThat(t.last().endNs()).isEqualTo(7 * S);
        assertThat(t.last().synRetransmissions()).isEqualTo(5);
    }

    @Test
    void linearTimeoutsSysctlZeroRestoresTheDoublingScheduleButNotItsBudget() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_SYN_LINEAR_TIMEOUTS, 0);
        t.blackhole = true;
        t.connect(t.toServer());
        t.runUntil(200 * S);
        assertThat(t.clientOut).hasSize(7);
        assertThat(t.last().endNs()).isEqualTo(127 * S);
    }

    @Test
    void appTimeoutShorterThanTheScheduleClosesTheSynSentSocketSilently() {
        TcpHosts t = new TcpHosts("6.12");
        t.blackhole = true;
        t.connect(t.toServer().withAppTimeout(2_500_000_000L));
        t.runUntil(10 * S);
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.APP_TIMEOUT);
        assertThat(r.endNs()).isEqualTo(2_500_000_000L);
        assertThat(r.synRetransmissions()).isEqualTo(2);
        assertThat(t.clientOut).containsExactly("0 [S]", "1000000000 [S]", "2000000000 [S]"); // no RST
        assertThat(t.clientTcp.socketCount()).isZero();
    }
}
