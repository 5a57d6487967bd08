package io.svclab.net;

import io.svclab.kernel.KernelProfiles;
import io.svclab.net.trace.RecordingTrace;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * Test topology: client 10.0.1.2 — router (10.0.1.1 | 10.0.2.1, forwarding) — server 10.0.2.2,
 * each link a two-member segment with 50 µs one-way latency. Server and client record what
 * their transport receives.
 */
final class TwoHosts {

    static final int CLIENT = Ip4.parse("10.0.1.2");
    static final int ROUTER_A = Ip4.parse("10.0.1.1");
    static final int ROUTER_B = Ip4.parse("10.0.2.1");
    static final int SERVER = Ip4.parse("10.0.2.2");
    static final long LATENCY = 50_000;

    final Simulation sim = new Simulation(7);
    final RecordingTrace trace = new RecordingTrace();
    final Network net = new Network(sim, KernelProfiles.get("6.12"), trace);
    final NetNamespace client = net.namespace("client");
    final NetNamespace router = net.namespace("router");
    final NetNamespace server = net.namespace("server");
    final L2Segment left;
    final L2Segment right;
    final NetInterface serverEth;
    final List<String> clientGot = new ArrayList<>();
    final List<String> serverGot = new ArrayList<>();

    TwoHosts() {
        router.sysctls().set(io.svclab.kernel.Sysctl.NET_IPV4_IP_FORWARD, 1);
        NetInterface c0 = client.addDevice("eth0", NetInterface.Kind.ETHER);
        NetInterface r0 = router.addDevice("eth0", NetInterface.Kind.ETHER);
        NetInterface r1 = router.addDevice("eth1", NetInterface.Kind.ETHER);
        serverEth = server.addDevice("eth0", NetInterface.Kind.ETHER);
        left = net.veth(c0, r0, LATENCY);
        right = net.veth(r1, serverEth, LATENCY);
        client.addAddress(c0, CLIENT, 24);
        router.addAddress(r0, ROUTER_A, 24);
        router.addAddress(r1, ROUTER_B, 24);
        server.addAddress(serverEth, SERVER, 24);
        client.addRoute(new Route(0, 0, RouteType.UNICAST, c0, ROUTER_A, 0));
        server.addRoute(new Route(0, 0, RouteType.UNICAST, serverEth, ROUTER_B, 0));
        client.setTransport(IpProto.TCP, recorder(clientGot));
        server.setTransport(IpProto.TCP, recorder(serverGot));
    }

    private L4Handler recorder(List<String> log) {
        return new L4Handler() {
            @Override
            public void receive(Packet p, NetNamespace ns) {
                log.add(sim.now() + " " + p.describe());
                ns.pool().release(p);
            }

            @Override
            public void icmpError(Packet icmp, NetNamespace ns) {
                log.add(sim.now() + " " + icmp.describe());
                ns.pool().release(icmp);
            }
        };
    }

    /** A SYN from the client to the server, sent now. */
    void sendSyn(int sport) {
        Packet p = tcp(CLIENT, sport, SERVER, 8080, TcpFlags.SYN);
        p.seq = 1000;
        client.send(p);
    }

    /** A TCP segment from the pool. */
    Packet tcp(int src, int sport, int dst, int dport, int flags) {
        Packet p = net.pool().acquire();
        p.src = src;
        p.dst = dst;
        p.proto = IpProto.TCP;
        p.sport = sport;
        p.dport = dport;
        p.tcpFlags = flags;
        return p;
    }
}
