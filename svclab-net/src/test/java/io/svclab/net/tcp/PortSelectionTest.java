package io.svclab.net.tcp;

import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static io.svclab.net.tcp.TcpHosts.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** Ephemeral port choice per kernel (spec conntrack-nat-tcp.md §7.1, §7.2; CL-1, CL-2). */
class PortSelectionTest {

    /** Connects n times to a closed port (each refused within a round trip, so every port is free again). */
    private static List<Integer> refusedPorts(TcpHosts t, int dport, int n) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.clientTcp.connect(ConnectSpec.to(SERVER, dport), r -> ports.add(r.localPort()));
            t.runUntil(t.sim.now() + MS);
        }
        return ports;
    }

    @Test
    void perturbTableGivesEvenPortsAdvancingByTwoToSixteenTowardsOneDestination() {
        TcpHosts t = new TcpHosts("6.12");
        List<Integer> ports = refusedPorts(t, 8080, 1000);
        assertThat(ports).hasSize(1000).allSatisfy(p -> {
            assertThat(p % 2).isZero();
            assertThat(p).isBetween(32768, 60999);
        });
        List<Integer> steps = new ArrayList<>();
        for (int i = 1; i < ports.size(); i++) {
            steps.add(Math.floorMod(ports.get(i) - ports.get(i - 1), 28232));
        }
        assertThat(steps).allSatisfy(d -> assertThat(d).isIn(2, 4, 6, 8, 10, 12, 14, 16));
        assertThat(steps).contains(2, 16); // the random part U{0..7} is really used
    }

    @Test
    void eachDestinationHasItsOwnOffset() {
        TcpHosts t = new TcpHosts("6.12");
        int a = refusedPorts(t, 8080, 1).get(0);
        int b = refusedPorts(t, 8081, 1).get(0);
        int a2 = refusedPorts(t, 8080, 1).get(0);
        assertThat(Math.abs(b - a)).isGreaterThan(16);
        assertThat(a2 - a).isBetween(2, 16); // 8080's table entry advanced, untouched by 8081
    }

    @Test
    void beforeThePerturbTableOneGlobalHintAdvancesByTwoOverEvenPorts() {
        TcpHosts t = new TcpHosts("4.19");
        List<Integer> ports = refusedPorts(t, 8080, 50);
        ports.addAll(refusedPorts(t, 8081, 50));
        for (int i = 1; i < ports.size(); i++) {
            int step = i == 50 ? -1 : Math.floorMod(ports.get(i) - ports.get(i - 1), 28232);
            if (i != 50) {
                assertThat(step).as("step %d", i).isEqualTo(2);
            }
        }
        assertThat(ports).allSatisfy(p -> assertThat(p % 2).isZero());
    }

    @Test
    void beforeEvenPortsThePlainWalkStepsByOne() {
        TcpHosts t = new TcpHosts("4.4");
        List<Integer> ports = refusedPorts(t, 8080, 20);
        for (int i = 1; i < ports.size(); i++) {
            assertThat(Math.floorMod(ports.get(i) - ports.get(i - 1), 28232)).isEqualTo(1);
        }
    }

    private static TcpHosts twoPortRange(int twReuse) {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE, Sysctls.pair(50000, 50001));
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_TW_REUSE, twReuse);
        t.listen(new ServerSpec());
        t.connect(t.toServer());
        t.runUntil(10 * MS);
        t.connect(t.toServer());
        t.runUntil(20 * MS);
        return t;
    }

    @Test
    void clientTimeWaitBlocksTheRangeUnderLoopbackOnlyReuse() {
        TcpHosts t = twoPortRange(2);
        t.connect(t.toServer());
        assertThat(t.records).extracting(r -> r.result() + ":" + r.localPort())
                .containsExactly("OK:50000", "OK:50001", "EADDRNOTAVAIL:0");
        t.runUntil(1500 * MS);
        t.connect(t.toServer());
        assertThat(t.last().result()).isEqualTo(ConnectResult.EADDRNOTAVAIL); // still blocked: not loopback
    }

    @Test
    void twReuseOneTakesOverTimeWaitPortsOnceTheSecondsClockHasMoved() {
        TcpHosts t = twoPortRange(1);
        t.connect(t.toServer());
        assertThat(t.last().result()).isEqualTo(ConnectResult.EADDRNOTAVAIL); // same second as the last timestamp
        t.runUntil(1500 * MS);
        t.connect(t.toServer());
        t.runUntil(1510 * MS);
        t.connect(t.toServer());
        t.runUntil(1520 * MS);
        assertThat(t.records).extracting(r -> r.result() + ":" + r.localPort())
                .containsExactly("OK:50000", "OK:50001", "EADDRNOTAVAIL:0", "OK:50000", "OK:50001");
    }

    @Test
    void portsHeldByBindAreSkippedByConnect() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE, Sysctls.pair(50000, 50001));
        t.clientTcp.listen(50000, new ServerSpec());
        List<Integer> ports = refusedPorts(t, 8080, 2);
        assertThat(ports).containsExactly(50001, 50001);
    }
}
