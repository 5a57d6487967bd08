package io.svclab.net.tcp;

import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.Ip4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

/** tcp_tw_reuse=2 applies to loopback; steady traffic reuses pooled packets. */
class LoopbackAndPoolTest {

    @Test
    void loopbackOnlyReuseTakesOverATimeWaitTowardsLocalhost() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE, Sysctls.pair(50000, 50000));
        int lo = Ip4.parse("127.0.0.1");
        t.clientTcp.listen(8080, new ServerSpec());
        List<ConnectionRecord> out = new ArrayList<>();
        t.clientTcp.connect(ConnectSpec.to(lo, 8080), out::add);
        t.runUntil(10 * MS);
        assertThat(t.clientTcp.socketState(50000, lo, 8080)).isEqualTo(TcpState.TIME_WAIT);
        t.clientTcp.connect(ConnectSpec.to(lo, 8080), out::add);
        t.runUntil(1500 * MS);
        t.clientTcp.connect(ConnectSpec.to(lo, 8080), out::add);
        t.runUntil(2 * S);
        assertThat(out).extracting(r -> r.result() + ":" + r.localPort())
                .containsExactly("OK:50000", "EADDRNOTAVAIL:0", "OK:50000");
        assertThat(out.get(0).connectNs()).isZero(); // loopback delivers within the same instant
    }

    @Test
    void steadyConnectionsReusePooledPackets() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        for (int i = 0; i < 100; i++) {
            t.connect(t.toServer());
            t.runUntil(t.sim.now() + 2 * MS);
        }
        long warm = t.net.pool().allocated();
        for (int i = 0; i < 400; i++) {
            t.connect(t.toServer());
            t.runUntil(t.sim.now() + 2 * MS);
        }
        assertThat(t.records).hasSize(500).allSatisfy(r -> assertThat(r.result()).isEqualTo(ConnectResult.OK));
        assertThat(t.net.pool().allocated()).isEqualTo(warm);
    }
}
