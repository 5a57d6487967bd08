package io.svclab.net;

import io.svclab.net.trace.LinkTransmitted;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Priority;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A broadcast domain: a veth pair (two members) or a bridge (many), with one one-way latency.
 * A frame sent to a MAC reaches the member with that MAC after the latency; a frame to a MAC that
 * is no longer on the segment (a deleted pod whose MAC a neighbour entry still caches) is lost
 * without a trace on the wire, as on a real bridge. ARP requests reach every member that has the
 * asked-for address.
 */
public final class L2Segment {

    private final Network network;
    private final String name;
    private final long latencyNs;
    private final List<NetInterface> members = new ArrayList<>();
    private final Int2ObjectOpenHashMap<NetInterface> byMac = new Int2ObjectOpenHashMap<>();

    L2Segment(Network network, String name, long latencyNs) {
        if (latencyNs < 0) {
            throw new IllegalArgumentException("negative latency");
        }
        this.network = network;
        this.name = name;
        this.latencyNs = latencyNs;
    }

    public String name() {
        return name;
    }

    public long latencyNs() {
        return latencyNs;
    }

    public List<NetInterface> members() {
        return Collections.unmodifiableList(members);
    }

    /** Plugs a device into this segment. */
    public void attach(NetInterface dev) {
        if (dev.kind() != NetInterface.Kind.ETHER) {
            throw new IllegalArgumentException(dev + " is not an Ethernet device");
        }
        if (dev.segment() != null) {
            throw new IllegalArgumentException(dev + " is already attached to " + dev.segment().name());
        }
        members.add(dev);
        byMac.put(dev.mac(), dev);
        dev.attach(this);
    }

    /** Unplugs a device (its namespace went away). Frames in flight to it are lost. */
    public void detach(NetInterface dev) {
        if (members.remove(dev)) {
            byMac.remove(dev.mac());
            dev.detach();
        }
    }

    /** The member that answers ARP for {@code addr} (has it configured and is up), or null. */
    NetInterface arpTarget(int addr, NetInterface asking) {
        for (NetInterface m : members) {
            if (m != asking && m.isUp() && m.hasAddress(addr)) {
                return m;
            }
        }
        for (NetInterface m : members) {
            if (m != asking && m.wire != null) {
                return m;
            }
        }
        return null;
    }

    /**
     * Puts a frame on the wire towards {@code dstMac}. Counts one link packet. The packet is
     * delivered after the latency, or released when nobody has that MAC.
     */
    void transmit(NetInterface from, int dstMac, Packet p) {
        Trace trace = network.trace();
        NetInterface to = byMac.get(dstMac);
        boolean delivered = to != null && to.isUp();
        p.id = network.nextPacketId();
        network.countPacket(p);
        // a frame nobody receives is a decision worth keeping even without the packet path
        if (trace.enabled() && (!delivered ? trace.wants(p.flowId) : trace.packets())) {
            trace.emit(new LinkTransmitted(network.sim().now(), from.namespace().name(), from.name(), p.flowId, p.id,
                    p.describe(), delivered));
        }
        PacketTap tap = network.tap();
        if (tap != null) {
            tap.transmitted(network.sim().now(), from, dstMac, p);
        }
        if (!delivered) {
            network.pool().release(p);
            return;
        }
        p.outDev = null;
        p.inDev = to;
        // a frame entering another namespace loses its conntrack reference (skb_scrub_packet)
        p.nfct = null;
        p.ctinfo = 0;
        if (to.wire != null) {
            to.wire.frame(p, from, latencyNs);
            return;
        }
        network.sim().scheduleIn(latencyNs, Priority.PACKET, p);
    }
}
