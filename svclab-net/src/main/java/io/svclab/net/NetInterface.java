package io.svclab.net;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network device of one namespace: loopback, a dummy (kube-ipvs0, addresses only) or an
 * Ethernet-like device attached to an {@link L2Segment} (a veth end or a bridge port). Owns the
 * neighbour (ARP) entries of its link, as Linux keys neighbours by (device, address).
 */
public final class NetInterface {

    /** Device kinds. */
    public enum Kind { LOOPBACK, DUMMY, ETHER }

    private final NetNamespace ns;
    private final String name;
    private final Kind kind;
    private final int ifindex;
    private final int mac;
    private final List<int[]> addresses = new ArrayList<>();
    private L2Segment segment;
    private boolean up = true;
    final Int2ObjectOpenHashMap<Neighbour> neighbours = new Int2ObjectOpenHashMap<>();
    /** REACHABLE time of this device's neighbours, drawn once ({@code neigh_rand_reach_time}). */
    long reachableTimeNs;
    /** Test harness only: answers ARP for every address and hands arriving frames to a sink. */
    EmbeddedNetns.Wire wire;

    NetInterface(NetNamespace ns, String name, Kind kind, int ifindex, int mac) {
        this.ns = ns;
        this.name = name;
        this.kind = kind;
        this.ifindex = ifindex;
        this.mac = mac;
    }

    public NetNamespace namespace() {
        return ns;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public int ifindex() {
        return ifindex;
    }

    /** The link-layer address, a number unique within the network. */
    public int mac() {
        return mac;
    }

    public boolean isUp() {
        return up;
    }

    public L2Segment segment() {
        return segment;
    }

    void attach(L2Segment s) {
        this.segment = s;
    }

    void detach() {
        this.segment = null;
    }

    void setUp(boolean up) {
        this.up = up;
    }

    /** Addresses as {@code {addr, prefixLength}} pairs, in the order they were added. */
    public List<int[]> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    void addAddress(int addr, int len) {
        addresses.add(new int[] {addr, len});
    }

    boolean removeAddress(int addr) {
        return addresses.removeIf(a -> a[0] == addr);
    }

    /** The first address, or 0. */
    public int primaryAddress() {
        return addresses.isEmpty() ? 0 : addresses.get(0)[0];
    }

    public boolean hasAddress(int addr) {
        for (int[] a : addresses) {
            if (a[0] == addr) {
                return true;
            }
        }
        return false;
    }

    /** The neighbour entry for an address on this device, or null. */
    public Neighbour neighbour(int addr) {
        return neighbours.get(addr);
    }

    @Override
    public String toString() {
        return ns.name() + "/" + name;
    }
}
