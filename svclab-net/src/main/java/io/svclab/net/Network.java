package io.svclab.net;

import io.svclab.kernel.KernelProfile;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything network of one run: the namespaces, the segments between them, the packet pool, the
 * counters and the trace sink, on one {@link Simulation}.
 */
public final class Network {

    private final Simulation sim;
    private final KernelProfile kernel;
    private final Trace trace;
    private final PacketPool pool = new PacketPool();
    private final NetStats stats = new NetStats();
    private final List<NetNamespace> namespaces = new ArrayList<>();
    private final List<L2Segment> segments = new ArrayList<>();
    private final Map<Class<?>, Object> attachments = new HashMap<>();
    private int nextMac = 1;
    private int nextIfindex = 1;
    private long nextPacketId = 1;
    private PacketTap tap;

    public Network(Simulation sim, KernelProfile kernel, Trace trace) {
        this.sim = sim;
        this.kernel = kernel;
        this.trace = trace;
    }

    public Simulation sim() {
        return sim;
    }

    public KernelProfile kernel() {
        return kernel;
    }

    public Trace trace() {
        return trace;
    }

    public PacketPool pool() {
        return pool;
    }

    public NetStats stats() {
        return stats;
    }

    /** A new namespace with the kernel's default sysctls and a loopback device with 127.0.0.1/8. */
    public NetNamespace namespace(String name) {
        for (NetNamespace n : namespaces) {
            if (n.name().equals(name)) {
                throw new IllegalArgumentException("namespace " + name + " exists");
            }
        }
        NetNamespace ns = new NetNamespace(this, name);
        namespaces.add(ns);
        return ns;
    }

    public List<NetNamespace> namespaces() {
        return Collections.unmodifiableList(namespaces);
    }

    /** A broadcast domain (a bridge) with a one-way latency. */
    public L2Segment segment(String name, long latencyNs) {
        L2Segment s = new L2Segment(this, name, latencyNs);
        segments.add(s);
        return s;
    }

    /** A veth pair: two devices joined by a private two-member segment. */
    public L2Segment veth(NetInterface a, NetInterface b, long latencyNs) {
        L2Segment s = segment(a + "<->" + b, latencyNs);
        s.attach(a);
        s.attach(b);
        return s;
    }

    /** Sees every frame put on a link (packet capture), or {@code null} for none (the default). */
    public void setTap(PacketTap tap) {
        this.tap = tap;
    }

    PacketTap tap() {
        return tap;
    }

    /** Run-wide state of another subsystem (the flow id counter), keyed by type. */
    public <T> T attachment(Class<T> type) {
        return type.cast(attachments.get(type));
    }

    public <T> void attach(Class<T> type, T value) {
        attachments.put(type, value);
    }

    void forget(NetNamespace ns) {
        namespaces.remove(ns);
    }

    int allocateMac() {
        return nextMac++;
    }

    int allocateIfindex() {
        return nextIfindex++;
    }

    long nextPacketId() {
        return nextPacketId++;
    }

    void countPacket(Packet p) {
        stats.linkPackets++;
    }

    void countDrop() {
        stats.drops++;
    }

    void countIcmp() {
        stats.icmpErrors++;
    }

    /**
     * Sends an ARP request for {@code addr} from {@code dev} (broadcast when {@code unicastMac} is
     * 0, else to that MAC). The owner of the address, if on the segment when the request arrives,
     * learns the sender (STALE) and replies; the reply confirms the entry one more latency later.
     * ARP frames are counted apart from IP packets.
     */
    void arpRequest(Neighbour n, NetInterface dev, int addr, int unicastMac) {
        L2Segment seg = dev.segment();
        if (seg == null) {
            return;
        }
        stats.arpFrames++;
        int senderIp = dev.primaryAddress();
        int senderMac = dev.mac();
        long lat = seg.latencyNs();
        sim.scheduleIn(lat, Priority.PACKET, new ArpExchange(n, dev, seg, addr, unicastMac, senderIp, senderMac));
    }

    /** The request arriving at the segment's members, then the reply travelling back. */
    private final class ArpExchange implements io.svclab.sim.Action {
        private final Neighbour asking;
        private final NetInterface dev;
        private final L2Segment seg;
        private final int addr;
        private final int unicastMac;
        private final int senderIp;
        private final int senderMac;

        ArpExchange(Neighbour asking, NetInterface dev, L2Segment seg, int addr, int unicastMac, int senderIp,
                    int senderMac) {
            this.asking = asking;
            this.dev = dev;
            this.seg = seg;
            this.addr = addr;
            this.unicastMac = unicastMac;
            this.senderIp = senderIp;
            this.senderMac = senderMac;
        }

        @Override
        public void run() {
            NetInterface target = seg.arpTarget(addr, dev);
            if (target == null || (unicastMac != 0 && target.mac() != unicastMac)) {
                return; // nobody answers: the asking entry times out
            }
            if (senderIp != 0) {
                target.namespace().neighbourLearn(target, senderIp, senderMac);
            }
            stats.arpFrames++;
            sim.scheduleIn(seg.latencyNs(), Priority.PACKET, new ArpReply(asking, dev, seg, target.mac(), addr));
        }

        @Override
        public String describe() {
            return "arp who-has " + Ip4.format(addr) + " tell " + Ip4.format(senderIp);
        }
    }

    /** An ARP reply reaching the asking device. */
    private static final class ArpReply implements io.svclab.sim.Action {
        private final Neighbour asking;
        private final NetInterface dev;
        private final L2Segment seg;
        private final int mac;
        private final int addr;

        ArpReply(Neighbour asking, NetInterface dev, L2Segment seg, int mac, int addr) {
            this.asking = asking;
            this.dev = dev;
            this.seg = seg;
            this.mac = mac;
            this.addr = addr;
        }

        @Override
        public void run() {
            if (dev.segment() == seg) {
                asking.confirm(mac);
            }
        }

        @Override
        public String describe() {
            return "arp reply " + Ip4.format(addr) + " is-at " + mac;
        }
    }
}
