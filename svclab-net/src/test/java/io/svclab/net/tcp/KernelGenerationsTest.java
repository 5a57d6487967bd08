package io.svclab.net.tcp;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfiles;
import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static io.svclab.net.tcp.TcpHosts.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** Behaviour that differs between kernel generations through the TCP switches. */
class KernelGenerationsTest {

    @Test
    void theTcpSwitchesResolvePerRelease() {
        assertThat(KernelProfiles.get("5.11").has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)).isFalse();
        assertThat(KernelProfiles.get("5.4.196").has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)).isFalse();
        assertThat(KernelProfiles.get("5.4.197").has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)).isTrue();
        assertThat(KernelProfiles.get("5.15").has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)).isTrue();
        assertThat(KernelProfiles.get("5.15").has(KernelFeature.TCP_PORT_PERTURB_TABLE)).isFalse();
        assertThat(KernelProfiles.get("5.15.40").has(KernelFeature.TCP_PORT_PERTURB_TABLE)).isFalse();
        assertThat(KernelProfiles.get("5.15.41").has(KernelFeature.TCP_PORT_PERTURB_TABLE)).isTrue();
        assertThat(KernelProfiles.get("6.6").has(KernelFeature.TCP_TW_REUSE_SKIPS_FIN_WAIT2)).isFalse();
        assertThat(KernelProfiles.get("6.12").has(KernelFeature.TCP_TW_REUSE_SKIPS_FIN_WAIT2)).isTrue();
        assertThat(KernelProfiles.get("4.19").has(KernelFeature.TCP_SYN_TIMEOUT_ELAPSED)).isFalse();
        assertThat(KernelProfiles.get("5.4").has(KernelFeature.TCP_SYN_TIMEOUT_ELAPSED)).isTrue();
        Sysctls s = new Sysctls(KernelProfiles.get("6.12"));
        assertThat(s.get(Sysctl.NET_IPV4_TCP_SYNACK_RETRIES)).isEqualTo(5);
        assertThat(s.get(Sysctl.NET_IPV4_TCP_RETRIES2)).isEqualTo(15);
        assertThat(s.get(Sysctl.NET_IPV4_TCP_ORPHAN_RETRIES)).isZero();
        assertThat(s.get(Sysctl.NET_IPV4_TCP_INVALID_RATELIMIT)).isEqualTo(500);
    }

    @Test
    void the256EntryTableKeepsOneHintPerDestinationAdvancingByTwo() {
        TcpHosts t = new TcpHosts("5.15");
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            t.clientTcp.connect(ConnectSpec.to(SERVER, 8080), r -> a.add(r.localPort()));
            t.runUntil(t.sim.now() + MS);
            t.clientTcp.connect(ConnectSpec.to(SERVER, 9090), r -> b.add(r.localPort()));
            t.runUntil(t.sim.now() + MS);
        }
        for (int i = 1; i < 10; i++) {
            assertThat(a.get(i) - a.get(i - 1)).isEqualTo(2);
            assertThat(b.get(i) - b.get(i - 1)).isEqualTo(2);
        }
    }

    /** Server never closes; the client's FIN_WAIT2 remnants fill a two-port range; tcp_tw_reuse=1. */
    private static TcpHosts finWait2Remnants(String kernel) {
        TcpHosts t = new TcpHosts(kernel);
        t.client.sysctls().set(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE, Sysctls.pair(50000, 50001));
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_TW_REUSE, 1);
        t.listen(new ServerSpec().closeOnPeerFin(false));
        t.connect(t.toServer());
        t.runUntil(10 * MS);
        t.connect(t.toServer());
        t.runUntil(2 * S);
        t.connect(t.toServer());
        t.runUntil(3 * S);
        return t;
    }

    @Test
    void sixTwelveNeverReusesAFinWait2Remnant() {
        TcpHosts t = finWait2Remnants("6.12");
        assertThat(t.last().result()).isEqualTo(ConnectResult.EADDRNOTAVAIL);
    }

    @Test
    void sixSixReusesAFinWait2RemnantAndMeetsTheServersCloseWaitWithAChallengeAck() {
        TcpHosts t = finWait2Remnants("6.6");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.OK);
        assertThat(r.localPort()).isEqualTo(50000);
        assertThat(r.synRetransmissions()).isEqualTo(1); // challenge ACK, RST, SYN again 8 ms later
        assertThat(t.serverTcp.challengeAcks()).isEqualTo(1);
    }

    @Test
    void closingTheListenerResetsConnectionsStillInTheAcceptQueue() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.serverTcp.setAccepting(8080, false);
        t.connect(t.toServer());
        t.runUntil(10 * MS);
        t.serverTcp.closeListener(8080);
        t.runUntil(20 * MS);
        assertThat(t.last().result()).isEqualTo(ConnectResult.ECONNRESET);
        assertThat(t.last().endNs()).isEqualTo(10 * MS + 100_000);
        assertThat(t.accepted).isEmpty();
    }
}
