package io.svclab.k8s;

import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.L2Segment;
import io.svclab.net.NetInterface;
import io.svclab.net.NetNamespace;
import io.svclab.net.Network;
import io.svclab.net.Route;
import io.svclab.net.RouteType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The network of a cluster as a bridge CNI (kubenet, flannel host-gw) or, with {@link Cni#PTP},
 * as the ptp plugin builds it (one veth pair per pod, a /32 route on the node):
 * <ul>
 *   <li>node {@code i} (1-based) is a namespace {@code node-i} with {@code ip_forward=1}, an
 *       address {@code 10.250.0.i/24} on {@code eth0} (the node network, shared by all nodes), a
 *       bridge {@code cni0} with {@code 10.244.i.1/24}, routes to every other node's pod range
 *       via that node, and a dummy {@code kube-ipvs0} for Service addresses;</li>
 *   <li>a pod is a namespace with {@code eth0} on its node's {@code cni0} bridge, a /32 address in
 *       {@code 10.244.i.0/24} and an on-link default route via {@code 10.244.i.1}: all its traffic,
 *       even to pods on the same bridge, is routed by the node, whose conntrack therefore sees both
 *       directions of every Service connection;</li>
 *   <li>each node's default route points at {@code 10.250.0.254}, an upstream router outside the
 *       simulation.</li>
 * </ul>
 * Latencies: {@code intraNodeLatencyNs} one way on a bridge, {@code interNodeLatencyNs} between
 * nodes. Deleting a pod removes its namespace at once: its address is gone from the bridge, and
 * frames the node still sends to its cached MAC are lost.
 */
public final class ClusterNetwork {

    /** The node network 10.250.0.0/24. */
    public static final int NODE_NET = Ip4.parse("10.250.0.0");
    /** The node network's upstream router, not simulated. */
    public static final int UPLINK = Ip4.parse("10.250.0.254");
    /** Pod ranges 10.244.{node}.0/24. */
    public static final int POD_NET = Ip4.parse("10.244.0.0");

    /** How pods attach to their node. */
    public enum Cni {
        /** One bridge {@code cni0} per node; pods are its ports. */
        BRIDGE,
        /** One veth pair per pod; the node routes each pod by a /32 through its veth. */
        PTP
    }

    private final Network network;
    private final Cni cni;
    private final long intraNodeLatencyNs;
    private final L2Segment nodeNet;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: its namespace, bridge and pod range. */
    public static final class Node {
        private final int index;
        private final NetNamespace ns;
        private final L2Segment bridge;
        private final NetInterface ipvsDummy;
        private int nextHost = 2;

        Node(int index, NetNamespace ns, L2Segment bridge, NetInterface ipvsDummy) {
            this.index = index;
            this.ns = ns;
            this.bridge = bridge;
            this.ipvsDummy = ipvsDummy;
        }

        public int index() {
            return index;
        }

        public NetNamespace namespace() {
            return ns;
        }

        /** The pods' gateway, 10.244.i.1 (on {@code cni0}, or on every host-side veth with ptp). */
        public int gateway() {
            return POD_NET | (index << 8) | 1;
        }

        public int podSubnet() {
            return POD_NET | (index << 8);
        }

        /** The node's address on the node network. */
        public int address() {
            return NODE_NET | index;
        }

        /** {@code kube-ipvs0}, where IPVS mode binds Service addresses. */
        public NetInterface ipvsDummy() {
            return ipvsDummy;
        }

        L2Segment bridge() {
            return bridge;
        }
    }

    public ClusterNetwork(Network network, int nodeCount, long intraNodeLatencyNs, long interNodeLatencyNs) {
        this(network, Cni.BRIDGE, nodeCount, intraNodeLatencyNs, interNodeLatencyNs);
    }

    public ClusterNetwork(Network network, Cni cni, int nodeCount, long intraNodeLatencyNs, long interNodeLatencyNs) {
        if (nodeCount < 1 || nodeCount > 200) {
            throw new IllegalArgumentException("nodes must be 1..200, got " + nodeCount);
        }
        this.network = network;
        this.cni = cni;
        this.intraNodeLatencyNs = intraNodeLatencyNs;
        this.nodeNet = network.segment("nodes", interNodeLatencyNs);
        for (int i = 1; i <= nodeCount; i++) {
            NetNamespace ns = network.namespace("node-" + i);
            ns.sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
            NetInterface eth0 = ns.addDevice("eth0", NetInterface.Kind.ETHER);
            nodeNet.attach(eth0);
            ns.addAddress(eth0, NODE_NET | i, 24);
            L2Segment bridge = null;
            if (cni == Cni.BRIDGE) {
                NetInterface cni0 = ns.addDevice("cni0", NetInterface.Kind.ETHER);
                bridge = network.segment("node-" + i + "/cni0", intraNodeLatencyNs);
                bridge.attach(cni0);
                ns.addAddress(cni0, POD_NET | (i << 8) | 1, 24);
            }
            NetInterface dummy = ns.addDevice("kube-ipvs0", NetInterface.Kind.DUMMY);
            nodes.add(new Node(i, ns, bridge, dummy));
        }
        for (Node n : nodes) {
            NetInterface eth0 = n.ns.device("eth0");
            // the way out of the cluster: an upstream router that is not simulated (packets to it
            // fail neighbour resolution after ~3 s)
            n.ns.addRoute(new Route(0, 0, RouteType.UNICAST, eth0, UPLINK, 0));
            for (Node other : nodes) {
                if (other != n) {
                    n.ns.addRoute(new Route(other.podSubnet(), 24, RouteType.UNICAST, eth0, other.address(), 0));
                }
            }
        }
    }

    public Network network() {
        return network;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Node node(int index) {
        return nodes.get(index - 1);
    }

    /** The node whose pod range holds this address, or null. */
    public Node nodeOf(int podIp) {
        for (Node n : nodes) {
            if (Ip4.inPrefix(podIp, n.podSubnet(), 24)) {
                return n;
            }
        }
        return null;
    }

    /** The next free pod address on a node. */
    public int allocatePodIp(Node node) {
        if (node.nextHost > 254) {
            throw new IllegalStateException("pod range of node-" + node.index + " is full");
        }
        return node.podSubnet() | node.nextHost++;
    }

    /** Marks a pod address as taken (a pod with a fixed IP), so the allocator skips it. */
    public void reserve(Node node, int podIp) {
        int host = podIp & 0xff;
        if (host >= node.nextHost) {
            node.nextHost = host + 1;
        }
    }

    /**
     * Creates a pod's namespace on a node: {@code eth0} on the node's bridge with {@code ip/24},
     * default route via the bridge address.
     */
    public NetNamespace addPod(String name, Node node, int ip) {
        if (!Ip4.inPrefix(ip, node.podSubnet(), 24)) {
            throw new IllegalArgumentException(Ip4.format(ip) + " is not in node-" + node.index + "'s pod range "
                    + Ip4.format(node.podSubnet()) + "/24");
        }
        NetNamespace ns = network.namespace(name);
        NetInterface eth0 = ns.addDevice("eth0", NetInterface.Kind.ETHER);
        if (cni == Cni.PTP) {
            // the ptp plugin: a veth pair, the gateway address on the host end, a /32 route to the pod
            NetInterface host = node.ns.addDevice(hostVethName(name), NetInterface.Kind.ETHER);
            network.veth(host, eth0, intraNodeLatencyNs);
            node.ns.addAddress(host, node.gateway(), 32);
            node.ns.addRoute(new Route(ip, 32, RouteType.UNICAST, host, 0, node.gateway()));
        } else {
            node.bridge().attach(eth0);
        }
        // a /32 with an on-link default route: every packet, even to a pod on the same bridge,
        // goes through the node's IP stack, so the node's conntrack sees both directions (what
        // br_netfilter achieves for bridge CNIs, and what routed CNIs do by construction)
        ns.addAddress(eth0, ip, 32);
        ns.addRoute(new Route(0, 0, RouteType.UNICAST, eth0, node.gateway(), 0));
        return ns;
    }

    private static String hostVethName(String pod) {
        return "veth-" + pod;
    }

    /**
     * Deletes a pod's network: its namespace goes away at once (no FIN, no RST); with ptp the
     * host end of its veth pair and the /32 route go with it, as a veth pair dies whole.
     */
    public void removePod(String name, NetNamespace ns, Node node) {
        ns.destroy();
        if (cni == Cni.PTP) {
            NetInterface host = node.ns.device(hostVethName(name));
            if (host != null) {
                node.ns.removeDevice(host);
            }
        }
    }

    public Cni cni() {
        return cni;
    }

    public long intraNodeLatencyNs() {
        return intraNodeLatencyNs;
    }
}
