package io.svclab.net;

import io.svclab.kernel.KernelProfiles;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.trace.RecordingTrace;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * A test harness after Netty's {@code EmbeddedChannel}: one namespace under test, whose devices
 * are wired to capture points instead of other hosts. Register the hook functions under test,
 * inject packets on a device ({@link #receive}) or from a local socket ({@link #send}), run the
 * clock, and read what left each device ({@link #readOutbound()}) and what the trace recorded.
 * The far end of every wire answers ARP for any address, so output is never held up by
 * neighbour resolution beyond one round trip.
 */
public final class EmbeddedNetns {

    /** A packet as it left the namespace: the headers at that moment, and where and when. */
    public record Sent(long time, String device, int src, int sport, int dst, int dport, int proto, int tcpFlags,
                       int seq, int ack, int icmpType, int icmpCode, String line) {
        @Override
        public String toString() {
            return time + " " + device + " " + line;
        }
    }

    /** The far end of a wire: records frames. */
    final class Wire {
        private final String device;

        Wire(String device) {
            this.device = device;
        }

        void frame(Packet p, NetInterface from, long latencyNs) {
            if (discard) {
                net.pool().release(p);
                return;
            }
            outbound.add(new Sent(sim.now(), device, p.src, p.sport, p.dst, p.dport, p.proto, p.tcpFlags, p.seq, p.ack,
                    p.icmpType, p.icmpCode, p.describe()));
            net.pool().release(p);
        }
    }

    private final Simulation sim;
    private final RecordingTrace trace = new RecordingTrace();
    private final Network net;
    private final NetNamespace ns;
    private final List<Sent> outbound = new ArrayList<>();
    /** Benchmarks: no trace, and frames leaving the namespace are returned to the pool unrecorded. */
    private final boolean discard;

    /** A namespace named {@code ns} on the given kernel profile, seed 1. */
    public EmbeddedNetns(String kernel) {
        this(kernel, false);
    }

    /**
     * Like {@link #EmbeddedNetns(String)}; with {@code quiet} nothing is traced and what leaves the
     * namespace is not recorded (its packets go back to the pool), so that a benchmark's steady
     * state allocates nothing.
     */
    public EmbeddedNetns(String kernel, boolean quiet) {
        this.sim = new Simulation(1);
        this.discard = quiet;
        this.net = new Network(sim, KernelProfiles.get(kernel), quiet ? io.svclab.net.trace.Trace.NONE : trace);
        this.ns = net.namespace("ns");
    }

    public NetNamespace ns() {
        return ns;
    }

    public Simulation sim() {
        return sim;
    }

    public Network network() {
        return net;
    }

    public RecordingTrace trace() {
        return trace;
    }

    /** Adds a device with an address, wired to a capture point with zero latency. */
    public NetInterface device(String name, String addr, int prefixLength) {
        NetInterface d = ns.addDevice(name, NetInterface.Kind.ETHER);
        NetInterface far = net.namespace("wire-" + name).addDevice("peer", NetInterface.Kind.ETHER);
        far.wire = new Wire(name);
        net.veth(d, far, 0);
        ns.addAddress(d, Ip4.parse(addr), prefixLength);
        return d;
    }

    /** Registers a hook function under test. */
    public EmbeddedNetns hook(Hook hook, HookEntry entry) {
        ns.registerHook(hook, entry);
        return this;
    }

    /** A fresh packet from the pool. */
    public Packet packet() {
        return net.pool().acquire();
    }

    /** A TCP segment from the pool. */
    public Packet tcp(String src, int sport, String dst, int dport, int flags) {
        Packet p = packet();
        p.src = Ip4.parse(src);
        p.dst = Ip4.parse(dst);
        p.proto = IpProto.TCP;
        p.sport = sport;
        p.dport = dport;
        p.tcpFlags = flags;
        return p;
    }

    /** A packet arrives on a device now (runs synchronously through the receive path). */
    public void receive(Packet p, String device) {
        ns.receive(p, ns.device(device));
    }

    /** A local socket sends a packet now. */
    public void send(Packet p) {
        ns.send(p);
    }

    /** Runs the clock forward. */
    public void runFor(long ns) {
        sim.runUntil(sim.now() + ns);
    }

    /** The packets that left since the last call, in order. Runs pending events of this instant first. */
    public List<Sent> readOutbound() {
        sim.runUntil(sim.now());
        List<Sent> out = new ArrayList<>(outbound);
        outbound.clear();
        return out;
    }
}
