package io.svclab.net;

import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.HookTraced;
import io.svclab.net.trace.IcmpErrorSent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The IPv4 paths through the hooks (spec conntrack-nat-tcp.md §1.2, §1.3). */
class IpPathTest {

    private static final long MS = 1_000_000L;

    private static HookEntry accept(String name, int prio) {
        return new HookEntry(name, prio, (p, ns, h) -> Verdict.ACCEPT);
    }

    @Test
    void forwardedPacketPassesPreroutingForwardPostroutingInPriorityOrder() {
        TwoHosts t = new TwoHosts();
        for (Hook h : Hook.values()) {
            t.router.registerHook(h, accept("confirm", NfPriority.CONNTRACK_CONFIRM));
            t.router.registerHook(h, accept("conntrack", NfPriority.CONNTRACK));
            t.router.registerHook(h, accept("filter", NfPriority.FILTER));
        }
        t.sendSyn(40000);
        t.sim.runUntil(10 * MS);
        assertThat(t.trace.of(HookTraced.class)).filteredOn(e -> e.where().equals("router"))
                .extracting(e -> e.hook() + " " + e.function())
                .containsExactly(
                        "PREROUTING conntrack", "PREROUTING filter", "PREROUTING confirm",
                        "FORWARD conntrack", "FORWARD filter", "FORWARD confirm",
                        "POSTROUTING conntrack", "POSTROUTING filter", "POSTROUTING confirm");
        assertThat(t.serverGot).hasSize(1);
    }

    @Test
    void destinationRewrittenAtPreroutingIsRoutedToTheNewDestination() {
        TwoHosts t = new TwoHosts();
        int vip = Ip4.parse("10.96.0.10");
        t.router.registerHook(Hook.PREROUTING, new HookEntry("dnat", NfPriority.NAT_DST, (p, ns, h) -> {
            if (p.dst == vip) {
                p.dst = TwoHosts.SERVER;
                p.dport = 8080;
            }
            return Verdict.ACCEPT;
        }));
        t.client.routes().add(new Route(vip, 32, RouteType.UNICAST, t.client.device("eth0"), TwoHosts.ROUTER_A, 0));
        t.client.send(t.tcp(TwoHosts.CLIENT, 40000, vip, 80, TcpFlags.SYN));
        t.sim.runUntil(10 * MS);
        assertThat(t.serverGot).containsExactly("300000 10.0.1.2:40000 > 10.0.2.2:8080 tcp [S] seq 0 len 0");
    }

    @Test
    void localDeliveryPassesPreroutingThenInputAndLocalOutputPassesOutputThenPostrouting() {
        TwoHosts t = new TwoHosts();
        for (Hook h : Hook.values()) {
            t.server.registerHook(h, accept("f", 0));
        }
        t.sendSyn(40000);
        t.sim.runUntil(10 * MS);
        t.server.send(t.tcp(TwoHosts.SERVER, 8080, TwoHosts.CLIENT, 40000, TcpFlags.SYN | TcpFlags.ACK));
        t.sim.runUntil(20 * MS);
        assertThat(t.trace.of(HookTraced.class)).filteredOn(e -> e.where().equals("server"))
                .extracting(e -> e.hook().name())
                .containsExactly("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
        assertThat(t.clientGot).hasSize(1);
    }

    @Test
    void dropAtForwardIsSilentForTheSender() {
        TwoHosts t = new TwoHosts();
        t.router.registerHook(Hook.FORWARD, new HookEntry("filter", NfPriority.FILTER, (p, ns, h) -> Verdict.DROP));
        t.sendSyn(40000);
        t.sim.runUntil(5_000 * MS);
        assertThat(t.serverGot).isEmpty();
        assertThat(t.clientGot).isEmpty();
        assertThat(t.net.stats().drops()).isEqualTo(1);
    }

    @Test
    void noRouteAnswersNetUnreachable() {
        TwoHosts t = new TwoHosts();
        t.client.send(t.tcp(TwoHosts.CLIENT, 40000, Ip4.parse("192.0.2.1"), 80, TcpFlags.SYN));
        t.sim.runUntil(10 * MS);
        assertThat(t.clientGot).containsExactly("200000 10.0.1.1 > 10.0.1.2 icmp net-unreachable for tcp 10.0.1.2:40000 > 192.0.2.1:80");
    }

    @Test
    void icmpErrorsTowardsOneDestinationAreRateLimitedBurstSixThenOnePerSecond() {
        TwoHosts t = new TwoHosts();
        for (int i = 0; i < 10; i++) {
            t.client.send(t.tcp(TwoHosts.CLIENT, 40000 + i, Ip4.parse("192.0.2.1"), 80, TcpFlags.SYN));
        }
        t.sim.runUntil(10 * MS);
        assertThat(t.clientGot).hasSize(6);
        assertThat(t.trace.of(IcmpErrorSent.class)).filteredOn(IcmpErrorSent::rateLimited).hasSize(4);
    }
}
