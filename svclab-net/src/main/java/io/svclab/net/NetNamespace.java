package io.svclab.net;

import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookChain;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.DropReason;
import io.svclab.net.trace.IcmpErrorSent;
import io.svclab.net.trace.PacketDropped;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Linux network namespace: devices, addresses, a routing table, neighbours, sysctls, the five
 * netfilter hook chains, the transport protocols, and per-namespace state other subsystems attach
 * (conntrack table, IPVS). A pod and a node are each one namespace.
 *
 * <p>The IPv4 paths follow net/ipv4 ({@code ip_rcv}, {@code ip_forward}, {@code ip_local_deliver},
 * {@code ip_local_out}, {@code ip_output}):
 * <pre>
 *  link → PREROUTING → route ─ local ──→ INPUT → transport
 *                            └ forward → FORWARD → POSTROUTING → neighbour → link
 *  socket → route → OUTPUT → (re-route if the destination changed) → POSTROUTING → neighbour → link
 * </pre>
 * Packets to a local address from a local socket loop back through {@code lo}.
 */
public final class NetNamespace {

    private final Network network;
    private final String name;
    private final Sysctls sysctls;
    private final HookChain[] hooks = new HookChain[Hook.values().length];
    private final RoutingTable routes = new RoutingTable();
    private final List<NetInterface> devices = new ArrayList<>();
    private final IntOpenHashSet localAddresses = new IntOpenHashSet();
    private final L4Handler[] transports = new L4Handler[256];
    private final Map<Class<?>, Object> attachments = new HashMap<>();
    /** ICMP rate limit per destination ({@code inet_peer} rate_tokens / rate_last, in ns). */
    private final Int2LongOpenHashMap icmpTokens = new Int2LongOpenHashMap();
    private final Int2LongOpenHashMap icmpLast = new Int2LongOpenHashMap();
    private final NetInterface loopback;
    /** The route of every local destination (the kernel's local table, via lo). */
    private final Route loopbackRoute;
    private boolean destroyed;

    NetNamespace(Network network, String name) {
        this.network = network;
        this.name = name;
        this.sysctls = new Sysctls(network.kernel());
        for (Hook h : Hook.values()) {
            hooks[h.ordinal()] = new HookChain(h);
        }
        this.loopback = addDevice("lo", NetInterface.Kind.LOOPBACK);
        addAddress(loopback, Ip4.parse("127.0.0.1"), 8);
        this.loopbackRoute = new Route(0, 0, RouteType.LOCAL, loopback, 0, 0);
    }

    public String name() {
        return name;
    }

    public Network network() {
        return network;
    }

    public Simulation sim() {
        return network.sim();
    }

    public long now() {
        return network.sim().now();
    }

    public Trace trace() {
        return network.trace();
    }

    public PacketPool pool() {
        return network.pool();
    }

    public Sysctls sysctls() {
        return sysctls;
    }

    public RoutingTable routes() {
        return routes;
    }

    public NetInterface loopback() {
        return loopback;
    }

    public List<NetInterface> devices() {
        return Collections.unmodifiableList(devices);
    }

    /** The device of this name, or null. */
    public NetInterface device(String devName) {
        for (NetInterface d : devices) {
            if (d.name().equals(devName)) {
                return d;
            }
        }
        return null;
    }

    public boolean destroyed() {
        return destroyed;
    }

    // ------------------------------------------------------------------ configuration

    /** Adds a device ({@code ip link add}). */
    public NetInterface addDevice(String devName, NetInterface.Kind kind) {
        if (device(devName) != null) {
            throw new IllegalArgumentException(name + ": device " + devName + " exists");
        }
        NetInterface d = new NetInterface(this, devName, kind, network.allocateIfindex(), network.allocateMac());
        long base = sysctls.get(Sysctl.NET_IPV4_NEIGH_BASE_REACHABLE_TIME_MS) * 1_000_000L;
        // neigh_rand_reach_time: uniform in [base/2, 3*base/2)
        d.reachableTimeNs = base / 2 + (base > 0 ? network.sim().rng("neigh/" + name + "/" + devName).nextLong(base) : 0);
        devices.add(d);
        return d;
    }

    /**
     * Adds an address ({@code ip addr add ADDR/LEN dev D}): it becomes local, and for an Ethernet
     * device with a prefix shorter than 32 the kernel's connected route is added.
     */
    public void addAddress(NetInterface dev, int addr, int prefixLength) {
        dev.addAddress(addr, prefixLength);
        localAddresses.add(addr);
        if (dev.kind() == NetInterface.Kind.ETHER && prefixLength < 32) {
            routes.add(new Route(addr, prefixLength, RouteType.UNICAST, dev, 0, addr));
        }
    }

    /** Removes an address; its connected route goes with it. */
    public void removeAddress(NetInterface dev, int addr) {
        for (int[] a : dev.addresses()) {
            if (a[0] == addr && dev.kind() == NetInterface.Kind.ETHER && a[1] < 32) {
                Route r = routes.lookup(addr);
                if (r != null && r.dev() == dev && r.length() == a[1]) {
                    routes.remove(r.prefix(), r.length());
                }
            }
        }
        if (dev.removeAddress(addr)) {
            boolean stillLocal = false;
            for (NetInterface d : devices) {
                stillLocal |= d.hasAddress(addr);
            }
            if (!stillLocal) {
                localAddresses.remove(addr);
            }
        }
    }

    /** Adds or replaces a route of the main table. */
    public void addRoute(Route r) {
        routes.add(r);
    }

    /** Whether the address is local here (any device's address, or 127/8). */
    public boolean isLocal(int addr) {
        return localAddresses.contains(addr) || Ip4.isLoopback(addr);
    }

    /** The chain of one hook. */
    public HookChain hooks(Hook hook) {
        return hooks[hook.ordinal()];
    }

    /** Registers a hook function ({@code nf_register_net_hook}). */
    public void registerHook(Hook hook, HookEntry entry) {
        hooks[hook.ordinal()].register(entry);
    }

    /** Installs the transport of a protocol (TCP, UDP sockets). */
    public void setTransport(int proto, L4Handler handler) {
        transports[proto] = handler;
    }

    public L4Handler transport(int proto) {
        return transports[proto];
    }

    /** Per-namespace state of another subsystem (its conntrack table, IPVS), keyed by type. */
    public <T> T attachment(Class<T> type) {
        return type.cast(attachments.get(type));
    }

    public <T> void attach(Class<T> type, T value) {
        attachments.put(type, value);
    }

    /**
     * {@code ip link set DEV down}: the device stops sending and receiving and forgets its
     * neighbours. On a veth pair the other end loses carrier and flushes its neighbour entries too
     * ({@code neigh_carrier_down}), so the next packet it sends towards this side starts a fresh
     * resolution that fails after the ARP probes; a bridge keeps its carrier while other ports are up.
     */
    public void setLinkDown(NetInterface dev) {
        dev.setUp(false);
        flushNeighbours(dev);
        L2Segment seg = dev.segment();
        if (seg != null && seg.members().size() == 2) {
            for (NetInterface peer : seg.members()) {
                if (peer != dev) {
                    peer.namespace().flushNeighbours(peer);
                }
            }
        }
    }

    /** Drops every neighbour entry of a device ({@code neigh_flush_dev}); queued packets are dropped. */
    void flushNeighbours(NetInterface dev) {
        for (Neighbour n : new ArrayList<>(dev.neighbours.values())) {
            n.destroy();
        }
        dev.neighbours.clear();
    }

    /**
     * {@code ip link del DEV}: the device leaves its segment, its addresses and the routes through
     * it go away.
     */
    public void removeDevice(NetInterface dev) {
        for (int[] a : new ArrayList<>(dev.addresses())) {
            removeAddress(dev, a[0]);
        }
        routes.removeVia(dev);
        dev.setUp(false);
        flushNeighbours(dev);
        if (dev.segment() != null) {
            dev.segment().detach(dev);
        }
        devices.remove(dev);
    }

    /**
     * The namespace goes away (the pod is deleted): its devices leave their segments at once,
     * with no FIN or RST, and its addresses vanish from the network. Frames in flight to it are
     * lost.
     */
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        for (NetInterface d : devices) {
            d.setUp(false);
            for (Neighbour n : new ArrayList<>(d.neighbours.values())) {
                n.destroy();
            }
            if (d.segment() != null) {
                d.segment().detach(d);
            }
        }
        network.forget(this);
    }

    // ------------------------------------------------------------------ receive path

    /**
     * A frame arrived on a device ({@code ip_rcv}). A frame for a namespace that is gone, or
     * on a device that is down, is dropped with {@link DropReason#DEVICE_DOWN}.
     */
    void receiveFromLink(Packet p, NetInterface in) {
        if (destroyed || !in.isUp()) {
            drop(p, DropReason.DEVICE_DOWN);
            return;
        }
        receive(p, in);
    }

    /** Input of a packet on a device: PREROUTING, routing, then INPUT or FORWARD. */
    public void receive(Packet p, NetInterface in) {
        p.inDev = in;
        p.outDev = null;
        if (!runHook(Hook.PREROUTING, p)) {
            return;
        }
        if (isLocal(p.dst)) {
            localDeliver(p);
            return;
        }
        if (sysctls.get(Sysctl.NET_IPV4_IP_FORWARD) == 0) {
            drop(p, DropReason.FORWARDING_DISABLED);
            return;
        }
        Route r = routes.lookup(p.dst);
        if (r == null) {
            icmpError(p, Icmp.DEST_UNREACH, Icmp.NET_UNREACH);
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        switch (r.type()) {
            case UNICAST:
                forward(p, r);
                return;
            case LOCAL:
                localDeliver(p);
                return;
            case BLACKHOLE:
                drop(p, DropReason.NO_ROUTE);
                return;
            case UNREACHABLE:
                icmpError(p, Icmp.DEST_UNREACH, Icmp.NET_UNREACH);
                drop(p, DropReason.NO_ROUTE);
                return;
            case PROHIBIT:
            default:
                icmpError(p, Icmp.DEST_UNREACH, Icmp.PKT_FILTERED);
                drop(p, DropReason.NO_ROUTE);
        }
    }

    /** {@code ip_forward}: TTL, FORWARD, POSTROUTING, neighbour. */
    private void forward(Packet p, Route r) {
        if (p.ttl <= 1) {
            icmpError(p, Icmp.TIME_EXCEEDED, 0);
            drop(p, DropReason.TTL_EXPIRED);
            return;
        }
        p.ttl--;
        p.outDev = r.dev();
        if (!runHook(Hook.FORWARD, p)) {
            return;
        }
        postRouting(p, r);
    }

    /** {@code ip_local_deliver}: INPUT, then the transport. */
    private void localDeliver(Packet p) {
        if (!runHook(Hook.INPUT, p)) {
            return;
        }
        deliverToTransport(p);
    }

    private void deliverToTransport(Packet p) {
        if (p.proto == IpProto.ICMP) {
            if (p.icmpType == Icmp.DEST_UNREACH || p.icmpType == Icmp.TIME_EXCEEDED) {
                L4Handler h = transports[p.innerProto & 0xff];
                if (h != null) {
                    h.icmpError(p, this);
                    return;
                }
            }
            drop(p, DropReason.NO_SOCKET);
            return;
        }
        L4Handler h = transports[p.proto & 0xff];
        if (h == null) {
            drop(p, DropReason.NO_SOCKET);
            return;
        }
        h.receive(p, this);
    }

    // ------------------------------------------------------------------ output path

    /**
     * A locally generated packet ({@code ip_local_out}): routing, OUTPUT, a second routing
     * decision when OUTPUT changed the destination (NAT), POSTROUTING. Used by sockets and by
     * subsystems that re-send a packet (IPVS). The source must already be set.
     */
    public void send(Packet p) {
        p.inDev = null;
        int dst = p.dst;
        Route r = outputRoute(p);
        if (r == null) {
            return;
        }
        p.outDev = r.dev();
        if (!runHook(Hook.OUTPUT, p)) {
            return;
        }
        if (p.dst != dst) {
            r = outputRoute(p); // ip_route_me_harder
            if (r == null) {
                return;
            }
            p.outDev = r.dev();
        }
        postRouting(p, r);
    }

    /** The route a local packet takes, or null after dropping it with the sender's error. */
    private Route outputRoute(Packet p) {
        if (isLocal(p.dst)) {
            return loopbackRoute;
        }
        Route r = routes.lookup(p.dst);
        if (r == null || r.type() == RouteType.UNREACHABLE || r.type() == RouteType.BLACKHOLE
                || r.type() == RouteType.PROHIBIT) {
            // ip_route_output fails: connect() sees ENETUNREACH (EINVAL for blackhole) at once
            localError(p, r == null || r.type() == RouteType.UNREACHABLE ? Icmp.NET_UNREACH
                    : Icmp.PKT_FILTERED);
            drop(p, DropReason.NO_ROUTE);
            return null;
        }
        return r;
    }

    /** The source address a local socket uses towards {@code dst}, or 0 when unroutable. */
    public int sourceAddressFor(int dst) {
        if (isLocal(dst)) {
            return Ip4.isLoopback(dst) ? Ip4.parse("127.0.0.1") : dst;
        }
        Route r = routes.lookup(dst);
        return r == null || r.type() != RouteType.UNICAST ? 0 : r.sourceAddress();
    }

    /** POSTROUTING, then loopback or the neighbour layer ({@code ip_finish_output2}). */
    private void postRouting(Packet p, Route r) {
        if (!runHook(Hook.POSTROUTING, p)) {
            return;
        }
        if (r.type() == RouteType.LOCAL) {
            // loopback: the packet keeps its conntrack reference, as the skb does
            network.sim().scheduleIn(0, Priority.PACKET, new Loopback(this, p));
            return;
        }
        NetInterface dev = r.dev();
        if (!dev.isUp() || dev.segment() == null) {
            drop(p, DropReason.DEVICE_DOWN);
            return;
        }
        int hop = r.nextHop(p.dst);
        Neighbour n = dev.neighbours.get(hop);
        if (n == null) {
            n = new Neighbour(dev, hop);
            dev.neighbours.put(hop, n);
        }
        n.output(p);
    }

    /** The loopback device delivering a packet to its own namespace. */
    private static final class Loopback implements io.svclab.sim.Action {
        private final NetNamespace ns;
        private final Packet p;

        Loopback(NetNamespace ns, Packet p) {
            this.ns = ns;
            this.p = p;
        }

        @Override
        public void run() {
            if (ns.destroyed) {
                ns.drop(p, DropReason.DEVICE_DOWN);
                return;
            }
            ns.receive(p, ns.loopback);
        }

        @Override
        public String describe() {
            return "loopback " + p.describe();
        }
    }

    /** Learns an ARP sender on a device. */
    void neighbourLearn(NetInterface dev, int addr, int mac) {
        Neighbour n = dev.neighbours.get(addr);
        if (n == null) {
            n = new Neighbour(dev, addr);
            dev.neighbours.put(addr, n);
        }
        n.learn(mac);
    }

    // ------------------------------------------------------------------ errors and drops

    private boolean runHook(Hook hook, Packet p) {
        Verdict v = hooks[hook.ordinal()].run(p, this);
        if (v == Verdict.ACCEPT) {
            return true;
        }
        if (v == Verdict.DROP) {
            drop(p, DropReason.NETFILTER_DROP);
        }
        return false;
    }

    /** Drops a packet: counted, traced, returned to the pool. */
    public void drop(Packet p, DropReason reason) {
        network.countDrop();
        if (trace().enabled() && trace().wants(p.flowId)) {
            trace().emit(new PacketDropped(now(), name, reason, p.flowId, p.describe()));
        }
        pool().release(p);
    }

    /**
     * Neighbour resolution failed for a queued packet ({@code arp_error_report} →
     * {@code ipv4_link_failure}): ICMP host unreachable to its source, then drop.
     */
    void linkFailure(Packet p) {
        icmpError(p, Icmp.DEST_UNREACH, Icmp.HOST_UNREACH);
        drop(p, DropReason.NEIGH_FAILED);
    }

    /** An error for a packet that never left: the local socket hears of it via a local ICMP. */
    private void localError(Packet p, int code) {
        icmpError(p, Icmp.DEST_UNREACH, code);
    }

    /**
     * Sends an ICMP error about {@code cause} to its source ({@code icmp_send}): never about an
     * ICMP error, rate-limited per destination (token bucket of {@code icmp_ratelimit} 1000 ms,
     * burst 6, {@code inet_peer_xrlim_allow}) except towards a local address. The error is a
     * locally generated packet: it passes OUTPUT and POSTROUTING, where conntrack relates it to
     * the original connection.
     */
    public void icmpError(Packet cause, int type, int code) {
        if (cause.proto == IpProto.ICMP && (cause.icmpType == Icmp.DEST_UNREACH || cause.icmpType == Icmp.TIME_EXCEEDED)) {
            return;
        }
        int to = cause.src;
        boolean toLocal = isLocal(to);
        boolean allowed = toLocal || icmpRateAllow(to);
        Trace t = trace();
        if (t.enabled() && t.wants(cause.flowId)) {
            t.emit(new IcmpErrorSent(now(), name, Icmp.describe(type, code), cause.flowId, cause.describe(), !allowed));
        }
        if (!allowed) {
            return;
        }
        network.countIcmp();
        Packet e = pool().acquire();
        e.proto = IpProto.ICMP;
        e.icmpType = type;
        e.icmpCode = code;
        e.innerSrc = cause.src;
        e.innerDst = cause.dst;
        e.innerProto = cause.proto;
        e.innerSport = cause.sport;
        e.innerDport = cause.dport;
        e.innerSeq = cause.seq;
        e.flowId = cause.flowId;
        e.dst = to;
        int srcAddr = sourceAddressFor(to);
        e.src = srcAddr != 0 ? srcAddr : (toLocal ? to : 0);
        if (e.src == 0) {
            pool().release(e);
            return;
        }
        send(e);
    }

    private static final long ICMP_RATELIMIT_NS = 1_000_000_000L;
    private static final int XRLIM_BURST_FACTOR = 6;

    private boolean icmpRateAllow(int dst) {
        long now = now();
        long last = icmpLast.containsKey(dst) ? icmpLast.get(dst) : now - 60_000_000_000L;
        long token = icmpTokens.get(dst) + (now - last);
        if (token > XRLIM_BURST_FACTOR * ICMP_RATELIMIT_NS) {
            token = XRLIM_BURST_FACTOR * ICMP_RATELIMIT_NS;
        }
        boolean ok = false;
        if (token >= ICMP_RATELIMIT_NS) {
            token -= ICMP_RATELIMIT_NS;
            ok = true;
        }
        icmpTokens.put(dst, token);
        icmpLast.put(dst, now);
        return ok;
    }

    @Override
    public String toString() {
        return name;
    }
}
