package io.svclab.net;

import io.svclab.kernel.KernelProfiles;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.RecordingTrace;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same scenario + same seed ⇒ the same events and the same trace, byte for byte; another seed
 * changes what depends on randomness (arrival times, random drops, neighbour reachable times).
 */
class DeterminismTest {

    private static final long S = 1_000_000_000L;

    /** Three clients with Poisson arrivals towards two servers through a router that drops 10 % at random. */
    private static List<String> run(long seed) {
        Simulation sim = new Simulation(seed);
        RecordingTrace trace = new RecordingTrace();
        Network net = new Network(sim, KernelProfiles.get("5.10"), trace);
        NetNamespace router = net.namespace("router");
        router.sysctls().set(io.svclab.kernel.Sysctl.NET_IPV4_IP_FORWARD, 1);
        NetInterface br = router.addDevice("br0", NetInterface.Kind.ETHER);
        L2Segment bridge = net.segment("br0", 50_000);
        bridge.attach(br);
        router.addAddress(br, Ip4.parse("10.1.0.1"), 24);
        SplittableRandom dropRng = sim.rng("router/random-drop");
        router.registerHook(Hook.FORWARD, new HookEntry("random_drop", NfPriority.FILTER,
                (p, ns, h) -> dropRng.nextInt(10) == 0 ? Verdict.DROP : Verdict.ACCEPT));
        List<NetNamespace> hosts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            NetNamespace h = net.namespace("host-" + i);
            NetInterface eth = h.addDevice("eth0", NetInterface.Kind.ETHER);
            bridge.attach(eth);
            h.addAddress(eth, Ip4.parse("10.1.0." + (10 + i)), 32);
            h.addRoute(new Route(0, 0, RouteType.UNICAST, eth, Ip4.parse("10.1.0.1"), 0));
            h.setTransport(IpProto.TCP, new L4Handler() {
                @Override
                public void receive(Packet p, NetNamespace ns) {
                    ns.pool().release(p);
                }

                @Override
                public void icmpError(Packet icmp, NetNamespace ns) {
                    ns.pool().release(icmp);
                }
            });
            hosts.add(h);
        }
        // the router reaches hosts through /32 routes on the bridge
        for (int i = 0; i < 5; i++) {
            router.addRoute(new Route(Ip4.parse("10.1.0." + (10 + i)), 32, RouteType.UNICAST, br, 0, 0));
        }
        for (int c = 0; c < 3; c++) {
            NetNamespace client = hosts.get(c);
            SplittableRandom arrivals = sim.rng("client-" + c + "/arrivals");
            int sportBase = 40000 + c * 1000;
            sim.schedule(0, Priority.CONTROL, new Action() {
                int n;

                @Override
                public void run() {
                    Packet p = net.pool().acquire();
                    p.src = client.sourceAddressFor(Ip4.parse("10.1.0.13"));
                    p.dst = Ip4.parse("10.1.0." + (13 + (n & 1)));
                    p.proto = IpProto.TCP;
                    p.sport = sportBase + n++;
                    p.dport = 8080;
                    p.tcpFlags = TcpFlags.SYN;
                    client.send(p);
                    long gap = (long) (-Math.log(1 - arrivals.nextDouble()) * 0.5 * S); // Poisson, 2/s
                    if (n < 40) {
                        sim.scheduleIn(gap, Priority.CONTROL, this);
                    }
                }

                @Override
                public String describe() {
                    return "client-arrival";
                }
            });
        }
        List<String> events = new ArrayList<>();
        sim.setListener((t, prio, seq, a) -> events.add(t + " " + prio + " " + seq + " " + a.describe()));
        sim.runUntil(120 * S);
        List<String> out = new ArrayList<>(events);
        out.addAll(trace.lines());
        out.add("packets " + net.stats().linkPackets() + " drops " + net.stats().drops());
        return out;
    }

    @Test
    void sameSeedSameTraceDifferentSeedDifferentTrace() {
        List<String> a = run(42);
        List<String> b = run(42);
        List<String> c = run(43);
        assertThat(a).hasSizeGreaterThan(500);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        assertThat(a).anyMatch(l -> l.contains("drop netfilter_drop"));
    }
}
