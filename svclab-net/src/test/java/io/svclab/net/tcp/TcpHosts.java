package io.svclab.net.tcp;

import io.svclab.kernel.KernelProfiles;
import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.L2Segment;
import io.svclab.net.NetInterface;
import io.svclab.net.NetNamespace;
import io.svclab.net.Network;
import io.svclab.net.Packet;
import io.svclab.net.Route;
import io.svclab.net.RouteType;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.RecordingTrace;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test topology with TCP stacks: client 10.0.1.2 — router (10.0.1.1 | 10.0.2.1) — server 10.0.2.2,
 * 50 µs one-way per link. The router's FORWARD hook logs every TCP segment with sequence numbers
 * relative to each side's ISN, and drops them while {@link #blackhole} is set; the client's OUTPUT
 * hook logs what the client sends (absolute times of transmission).
 */
final class TcpHosts {

    static final int CLIENT = Ip4.parse("10.0.1.2");
    static final int ROUTER_A = Ip4.parse("10.0.1.1");
    static final int ROUTER_B = Ip4.parse("10.0.2.1");
    static final int SERVER = Ip4.parse("10.0.2.2");
    static final long LATENCY = 50_000;
    static final long US = 1_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    final Simulation sim;
    final RecordingTrace trace = new RecordingTrace();
    final Network net;
    final NetNamespace client;
    final NetNamespace router;
    final NetNamespace server;
    final L2Segment right;
    final NetInterface serverEth;
    final TcpStack clientTcp;
    final TcpStack serverTcp;
    final List<ConnectionRecord> records = new ArrayList<>();
    final List<AcceptedConnection> accepted = new ArrayList<>();
    /** Segments forwarded by the router: {@code time c>s|s>c flags seq rel [ack rel] len n}. */
    final List<String> wire = new ArrayList<>();
    /** Segments the client sent: {@code time flags}. */
    final List<String> clientOut = new ArrayList<>();
    /** Absolute sequence numbers of the SYNs (client) and SYN-ACKs (server) the router forwarded. */
    final List<Integer> synSeqs = new ArrayList<>();
    final List<Integer> synAckSeqs = new ArrayList<>();
    boolean blackhole;
    /** Drops the client's data segments (and FINs) only: the handshake still works. */
    boolean dropClientData;
    private final Map<String, Integer> isn = new HashMap<>();

    TcpHosts(String kernel) {
        this(kernel, 7);
    }

    TcpHosts(String kernel, long seed) {
        sim = new Simulation(seed);
        net = new Network(sim, KernelProfiles.get(kernel), trace);
        client = net.namespace("client");
        router = net.namespace("router");
        server = net.namespace("server");
        router.sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
        NetInterface c0 = client.addDevice("eth0", NetInterface.Kind.ETHER);
        NetInterface r0 = router.addDevice("eth0", NetInterface.Kind.ETHER);
        NetInterface r1 = router.addDevice("eth1", NetInterface.Kind.ETHER);
        serverEth = server.addDevice("eth0", NetInterface.Kind.ETHER);
        net.veth(c0, r0, LATENCY);
        right = net.veth(r1, serverEth, LATENCY);
        client.addAddress(c0, CLIENT, 24);
        router.addAddress(r0, ROUTER_A, 24);
        router.addAddress(r1, ROUTER_B, 24);
        server.addAddress(serverEth, SERVER, 24);
        client.addRoute(new Route(0, 0, RouteType.UNICAST, c0, ROUTER_A, 0));
        server.addRoute(new Route(0, 0, RouteType.UNICAST, serverEth, ROUTER_B, 0));
        clientTcp = TcpStack.install(client);
        serverTcp = TcpStack.install(server);
        router.registerHook(Hook.FORWARD, new HookEntry("tap", NfPriority.FILTER, (p, ns, h) -> {
            if (p.proto == IpProto.TCP) {
                wire.add(sim.now() + " " + relative(p));
            }
            boolean clientData = p.src == CLIENT && (p.payloadLength > 0 || (p.tcpFlags & TcpFlags.FIN) != 0);
            return blackhole || (dropClientData && clientData) ? Verdict.DROP : Verdict.ACCEPT;
        }));
        client.registerHook(Hook.OUTPUT, new HookEntry("tap", NfPriority.FILTER, (p, ns, h) -> {
            if (p.proto == IpProto.TCP) {
                clientOut.add(sim.now() + " " + TcpFlags.format(p.tcpFlags));
            }
            return Verdict.ACCEPT;
        }));
    }

    /** A server application on 8080 that records its accepts. */
    ServerSpec listen(ServerSpec spec) {
        spec.setAcceptHandler(accepted::add);
        serverTcp.listen(8080, spec);
        return spec;
    }

    void connect(ConnectSpec spec) {
        clientTcp.connect(spec, records::add);
    }

    ConnectSpec toServer() {
        return ConnectSpec.to(SERVER, 8080);
    }

    void runUntil(long t) {
        sim.runUntil(t);
    }

    ConnectionRecord last() {
        return records.get(records.size() - 1);
    }

    private String relative(Packet p) {
        boolean fromClient = p.src == CLIENT;
        String me = p.src + ":" + p.sport + ">" + p.dst + ":" + p.dport;
        String peer = p.dst + ":" + p.dport + ">" + p.src + ":" + p.sport;
        if ((p.tcpFlags & TcpFlags.SYN) != 0) {
            isn.put(me, p.seq);
            ((p.tcpFlags & TcpFlags.ACK) != 0 ? synAckSeqs : synSeqs).add(p.seq);
        }
        StringBuilder b = new StringBuilder(fromClient ? "c>s " : "s>c ").append(TcpFlags.format(p.tcpFlags));
        Integer mine = isn.get(me);
        Integer theirs = isn.get(peer);
        b.append(" seq ").append(mine == null ? Integer.toUnsignedString(p.seq) : Integer.toUnsignedString(p.seq - mine));
        if ((p.tcpFlags & TcpFlags.ACK) != 0) {
            b.append(" ack ").append(theirs == null ? Integer.toUnsignedString(p.ack)
                    : Integer.toUnsignedString(p.ack - theirs));
        }
        return b.append(" len ").append(p.payloadLength).toString();
    }
}
