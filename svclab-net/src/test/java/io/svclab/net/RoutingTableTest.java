package io.svclab.net;

import io.svclab.kernel.KernelProfiles;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Simulation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingTableTest {

    private final NetNamespace ns = new Network(new Simulation(1), KernelProfiles.get("6.12"), Trace.NONE).namespace("n");
    private final NetInterface eth0 = ns.addDevice("eth0", NetInterface.Kind.ETHER);
    private final NetInterface eth1 = ns.addDevice("eth1", NetInterface.Kind.ETHER);

    @Test
    void longestPrefixWins() {
        RoutingTable t = new RoutingTable();
        t.add(new Route(0, 0, RouteType.UNICAST, eth0, Ip4.parse("10.0.0.1"), 0));
        t.add(new Route(Ip4.parse("10.244.0.0"), 16, RouteType.BLACKHOLE, null, 0, 0));
        t.add(new Route(Ip4.parse("10.244.2.0"), 24, RouteType.UNICAST, eth1, Ip4.parse("10.250.0.2"), 0));
        t.add(new Route(Ip4.parse("10.244.2.7"), 32, RouteType.UNICAST, eth0, 0, 0));

        assertThat(t.lookup(Ip4.parse("10.244.2.7")).toString()).isEqualTo("10.244.2.7/32 dev eth0");
        assertThat(t.lookup(Ip4.parse("10.244.2.8")).toString()).isEqualTo("10.244.2.0/24 via 10.250.0.2 dev eth1");
        assertThat(t.lookup(Ip4.parse("10.244.9.9")).type()).isEqualTo(RouteType.BLACKHOLE);
        assertThat(t.lookup(Ip4.parse("192.0.2.1")).toString()).isEqualTo("default via 10.0.0.1 dev eth0");
        t.remove(0, 0);
        assertThat(t.lookup(Ip4.parse("192.0.2.1"))).isNull();
    }

    @Test
    void connectedRouteComesWithTheAddressAndGoesWithIt() {
        ns.addAddress(eth0, Ip4.parse("10.244.1.1"), 24);
        assertThat(ns.routes().lookup(Ip4.parse("10.244.1.9")).toString()).isEqualTo("10.244.1.0/24 dev eth0 src 10.244.1.1");
        assertThat(ns.isLocal(Ip4.parse("10.244.1.1"))).isTrue();
        assertThat(ns.isLocal(Ip4.parse("127.0.0.53"))).isTrue();
        ns.removeAddress(eth0, Ip4.parse("10.244.1.1"));
        assertThat(ns.routes().lookup(Ip4.parse("10.244.1.9"))).isNull();
        assertThat(ns.isLocal(Ip4.parse("10.244.1.1"))).isFalse();
    }

    @Test
    void addressesParseStrictly() {
        assertThat(Ip4.parse("10.96.0.10")).isEqualTo(0x0a60000a);
        assertThat(Ip4.format(0xfffffffe)).isEqualTo("255.255.255.254");
        for (String bad : new String[] {"10.96.0", "10..0.1", "10.96.0.10.1", "a.b.c.d", ""}) {
            assertThatThrownBy(() -> Ip4.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("expected an IPv4 address like 10.96.0.10");
        }
    }
}
