package io.svclab.net;

import io.svclab.net.trace.NeighbourChanged;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Neighbour resolution timing against the kernel's ARP defaults (spec conntrack-nat-tcp.md §7.4,
 * §7.5: EHOSTUNREACH about 3 s after the first SYN to a vanished address; a cached MAC of a
 * vanished host swallows packets silently until STALE → DELAY (5 s) → PROBE (3 × 1 s) → FAILED).
 */
class NeighbourTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void firstPacketResolvesThenTravelsAfterTheArpRoundTrips() {
        TwoHosts t = new TwoHosts();
        t.sendSyn(40000);
        t.sim.runUntil(10 * MS);
        // client ARPs for the router (2 x 50 us), then the SYN crosses (50 us); the router ARPs for
        // the server (2 x 50 us), then the SYN crosses (50 us): 300 us in all
        assertThat(t.serverGot).containsExactly("300000 10.0.1.2:40000 > 10.0.2.2:8080 tcp [S] seq 1000 len 0");
        assertThat(t.router.device("eth1").neighbour(TwoHosts.SERVER).state()).isEqualTo(NeighbourState.REACHABLE);
        assertThat(t.net.stats().linkPackets()).isEqualTo(2);
    }

    @Test
    void unresolvableAddressGivesHostUnreachableAfterThreeBroadcastsOneSecondApart() {
        TwoHosts t = new TwoHosts();
        t.right.detach(t.serverEth); // the server is gone before anyone learnt its MAC
        t.sendSyn(40000);
        t.sim.runUntil(4 * S);

        // the SYN reached the router at 150 us (client ARP 100 us + 50 us); probes at 150 us, 1.00015 s,
        // 2.00015 s; FAILED at 3.00015 s; the ICMP error travels 50 us back to the client
        assertThat(t.clientGot).containsExactly(
                "3000200000 10.0.1.1 > 10.0.1.2 icmp host-unreachable for tcp 10.0.1.2:40000 > 10.0.2.2:8080");
        assertThat(t.trace.of(NeighbourChanged.class))
                .filteredOn(e -> e.address().equals("10.0.2.2"))
                .extracting(e -> e.time() + " " + e.from() + "->" + e.to())
                .containsExactly("150000 FAILED->INCOMPLETE", "3000150000 INCOMPLETE->FAILED");
        assertThat(t.net.stats().arpFrames()).isEqualTo(2 + 3); // client's request+reply, 3 unanswered requests
    }

    @Test
    void cachedMacOfVanishedHostSwallowsPacketsUntilProbesFail() {
        TwoHosts t = new TwoHosts();
        t.sendSyn(40000);
        t.sim.runUntil(1 * S);
        assertThat(t.serverGot).hasSize(1);
        NetInterface r1 = t.router.device("eth1");
        long reachable = r1.reachableTimeNs;
        assertThat(reachable).isBetween(15 * S, 45 * S - 1); // base_reachable_time 30 s, randomised x0.5..1.5

        t.server.destroy(); // pod deleted: no FIN, no RST, the address vanishes
        // confirmed at 250 us (ARP reply); REACHABLE until confirmed + reachable_time, then STALE (unused)
        t.sim.runUntil(60 * S);
        assertThat(r1.neighbour(TwoHosts.SERVER).state()).isEqualTo(NeighbourState.STALE);

        // at 60 s: the client's own entry for the router is STALE too, so the SYN leaves at once and
        // reaches the router at 60.00005 s, which sends it to the cached MAC (lost) and enters DELAY
        t.sendSyn(40001);
        t.sim.runUntil(65 * S + 50_000 - 1);
        assertThat(r1.neighbour(TwoHosts.SERVER).state()).isEqualTo(NeighbourState.DELAY);
        assertThat(t.clientGot).isEmpty();
        t.sim.runUntil(65 * S + 50_000);
        assertThat(r1.neighbour(TwoHosts.SERVER).state()).isEqualTo(NeighbourState.PROBE);
        t.sim.runUntil(68 * S + 50_000 - 1);
        assertThat(r1.neighbour(TwoHosts.SERVER).state()).isEqualTo(NeighbourState.PROBE);
        t.sim.runUntil(68 * S + 50_000);
        assertThat(r1.neighbour(TwoHosts.SERVER).state()).isEqualTo(NeighbourState.FAILED);
        assertThat(t.clientGot).isEmpty(); // nothing was queued: silence, no ICMP

        // at 68.00005 s: a fresh resolution; the SYN reaches the router at 68.0001 s, three broadcasts
        // go unanswered, FAILED at 71.0001 s, and the ICMP reaches the client 50 us later
        t.sendSyn(40002);
        t.sim.runUntil(80 * S);
        assertThat(t.clientGot).containsExactly(
                "71000150000 10.0.1.1 > 10.0.1.2 icmp host-unreachable for tcp 10.0.1.2:40002 > 10.0.2.2:8080");
    }

    @Test
    void sysctlsChangeTheTiming() {
        TwoHosts t = new TwoHosts();
        t.router.sysctls().set(io.svclab.kernel.Sysctl.NET_IPV4_NEIGH_MCAST_SOLICIT, 5);
        t.router.sysctls().set(io.svclab.kernel.Sysctl.NET_IPV4_NEIGH_RETRANS_TIME_MS, 200);
        t.right.detach(t.serverEth);
        t.sendSyn(40000);
        t.sim.runUntil(10 * S);
        // 5 probes 200 ms apart: FAILED at 150 us + 1 s, ICMP 50 us later
        assertThat(t.clientGot).containsExactly(
                "1000200000 10.0.1.1 > 10.0.1.2 icmp host-unreachable for tcp 10.0.1.2:40000 > 10.0.2.2:8080");
    }
}
