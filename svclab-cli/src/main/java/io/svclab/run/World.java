package io.svclab.run;

import io.svclab.k8s.ClusterNetwork;
import io.svclab.k8s.Endpoints;
import io.svclab.k8s.Pod;
import io.svclab.k8s.PodPhase;
import io.svclab.k8s.ServiceSpec;
import io.svclab.k8s.StaticProxier;
import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.Network;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsNfct;
import io.svclab.net.nftables.NftablesRuleset;
import io.svclab.net.tcp.AcceptedConnection;
import io.svclab.net.tcp.CloseKind;
import io.svclab.net.tcp.Closer;
import io.svclab.net.tcp.ServerSpec;
import io.svclab.net.tcp.TcpStack;
import io.svclab.net.trace.Trace;
import io.svclab.scenario.Client;
import io.svclab.scenario.Deployment;
import io.svclab.scenario.Problem;
import io.svclab.scenario.ProxyMode;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioException;
import io.svclab.scenario.Service;
import io.svclab.scenario.SourcePos;
import io.svclab.scenario.Step;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Everything one run simulates, built once from a scenario: the simulation kernel; the network of
 * nodes and pods with the scenario's sysctls; conntrack and the rule engine of the proxy mode on
 * every node; a TCP stack in every pod; backends that listen on their Service's target port once
 * started and become ready endpoints after their readiness delay; and kube-proxy's rules for the
 * ready endpoints ({@link StaticProxier}).
 */
public final class World {

    private final Scenario scenario;
    private final Simulation sim;
    private final Network network;
    private final ClusterNetwork cluster;
    private final Endpoints endpoints = new Endpoints();
    private final List<Pod> pods = new ArrayList<>();
    /** Which backend accepted each flow: flow id → {@code ip:port}. */
    private final Long2ObjectOpenHashMap<String> acceptedBy = new Long2ObjectOpenHashMap<>();
    /** Which pod accepted each flow: flow id → pod (kept when the pod is gone). */
    private final Long2ObjectOpenHashMap<Pod> acceptedPod = new Long2ObjectOpenHashMap<>();
    private StaticProxier proxier;

    private World(Scenario scenario, Trace trace) {
        this.scenario = scenario;
        this.sim = new Simulation(scenario.seed());
        this.network = new Network(sim, scenario.kernelProfile(), trace);
        io.svclab.scenario.Network n = scenario.network();
        this.cluster = new ClusterNetwork(network,
                n.cni() == io.svclab.scenario.Cni.PTP ? ClusterNetwork.Cni.PTP : ClusterNetwork.Cni.BRIDGE,
                n.nodes(), n.intraNodeLatencyNs(), n.interNodeLatencyNs());
        boolean nft = usesNftables(scenario);
        boolean ipvs = usesIpvs(scenario);
        for (ClusterNetwork.Node node : cluster.nodes()) {
            NetNamespace ns = node.namespace();
            apply(ns, scenario.sysctl());
            Conntrack.install(ns);
            if (nft) {
                NftablesRuleset.install(ns);
            } else {
                IptablesTables.install(ns);
            }
            if (ipvs) {
                // as kube-proxy's IPVS mode (and the IPVS oracle's lab node) does: every ClusterIP
                // is a local address on the dummy kube-ipvs0, so Service traffic reaches INPUT
                for (Service svc : scenario.services()) {
                    if (!ns.isLocal(svc.clusterIP())) {
                        ns.addAddress(node.ipvsDummy(), svc.clusterIP(), 32);
                    }
                }
                Ipvs.install(ns, IpvsNfct.of(ns));
            }
        }
    }

    /**
     * Whether the nodes run nftables rather than iptables: in nftables mode, or in mode none when
     * the steps write {@code nft} text.
     */
    static boolean usesNftables(Scenario s) {
        if (s.proxy().mode() == ProxyMode.NFTABLES) {
            return true;
        }
        if (s.proxy().mode() != ProxyMode.NONE) {
            return false;
        }
        for (Step st : s.steps()) {
            if (st instanceof Step.Nft) {
                return true;
            }
        }
        return false;
    }

    /** Whether the nodes run IPVS: in ipvs mode, or in mode none when the steps use ipvsadm. */
    static boolean usesIpvs(Scenario s) {
        if (s.proxy().mode() == ProxyMode.IPVS) {
            return true;
        }
        if (s.proxy().mode() != ProxyMode.NONE) {
            return false;
        }
        for (Step st : s.steps()) {
            if (st instanceof Step.Ipvsadm) {
                return true;
            }
        }
        return false;
    }

    /** Builds the world of a validated scenario; nothing has happened yet at time 0. */
    public static World build(Scenario scenario, Trace trace) {
        World w = new World(scenario, trace);
        int placed = 0;
        for (Deployment d : scenario.deployments()) {
            Service svc = scenario.services().stream().filter(s -> s.name().equals(d.service())).findFirst().orElseThrow();
            w.endpoints.bind(d.name(), svc.name());
            for (int i = 0; i < d.replicas(); i++) {
                String name = d.name() + "-" + i;
                ClusterNetwork.Node node;
                int ip;
                if (i < d.podIPs().size()) {
                    ip = d.podIPs().get(i);
                    node = w.cluster.nodeOf(ip);
                    if (node == null) {
                        int last = w.cluster.nodes().size();
                        String field = "deployments[" + scenario.deployments().indexOf(d) + "].podIPs";
                        SourcePos at = scenario.position(field);
                        throw new ScenarioException(List.of(new Problem(at.file(), at.line(), at.column(),
                                field + "[" + i + "]", Ip4.format(ip) + " is outside the pod ranges of the nodes"
                                        + " (10.244.1.0/24 .. 10.244." + last + ".0/24)")));
                    }
                    w.cluster.reserve(node, ip);
                } else {
                    node = w.cluster.node(1 + placed % w.cluster.nodes().size());
                    ip = w.cluster.allocatePodIp(node);
                }
                placed++;
                NetNamespace ns = w.cluster.addPod(name, node, ip);
                apply(ns, d.pod().sysctl());
                TcpStack.install(ns);
                Pod pod = new Pod(name, d.name(), false, node.index(), ip, ns);
                w.pods.add(pod);
                w.startBackend(pod, d, svc);
            }
        }
        for (Client c : scenario.clients()) {
            for (int i = 0; i < c.replicas(); i++) {
                String name = c.name() + "-" + i;
                ClusterNetwork.Node node = w.cluster.node(1 + i % w.cluster.nodes().size());
                int ip = w.cluster.allocatePodIp(node);
                NetNamespace ns = w.cluster.addPod(name, node, ip);
                apply(ns, c.sysctl());
                TcpStack.install(ns);
                w.pods.add(new Pod(name, c.name(), true, node.index(), ip, ns));
            }
        }
        if (scenario.proxy().mode() == ProxyMode.IPTABLES || scenario.proxy().mode() == ProxyMode.NFTABLES) {
            List<ServiceSpec> specs = new ArrayList<>();
            for (Service s : scenario.services()) {
                specs.add(new ServiceSpec(s.name(), s.clusterIP(), s.port(), s.targetPort(), s.protocol().name(),
                        s.sessionAffinity().yamlName()));
            }
            List<NetNamespace> nodes = new ArrayList<>();
            List<Integer> addrs = new ArrayList<>();
            for (ClusterNetwork.Node n : w.cluster.nodes()) {
                nodes.add(n.namespace());
                addrs.add(n.address());
            }
            w.proxier = new StaticProxier(scenario.proxy().mode() == ProxyMode.NFTABLES ? StaticProxier.Mode.NFTABLES
                    : StaticProxier.Mode.IPTABLES, nodes, addrs, specs, w.endpoints);
            w.proxier.start();
        }
        return w;
    }

    /** A backend pod listens on its Service's target port at {@code startup} and is ready {@code readinessDelay} later. */
    private void startBackend(Pod pod, Deployment d, Service svc) {
        long requestNs = 0;
        for (Client c : scenario.clients()) {
            if (c.target().equals(svc.name())) {
                requestNs = c.requestDurationNs();
                break;
            }
        }
        ServerSpec spec = new ServerSpec().serviceTimeNs(requestNs)
                .closer(d.pod().closer() == io.svclab.scenario.Closer.SERVER ? Closer.SERVER : Closer.CLIENT, CloseKind.FIN)
                .setAcceptHandler(a -> accepted(pod, a));
        long listenAt = d.pod().startupNs();
        long readyAt = listenAt + d.pod().readinessDelayNs();
        sim.schedule(listenAt, Priority.CONTROL, new PodStep(pod, "listen", () -> {
            if (pod.phase() == PodPhase.GONE) {
                return;
            }
            TcpStack.of(pod.ns()).listen(svc.targetPort(), spec);
            endpoints.setPhase(pod, PodPhase.RUNNING);
        }));
        sim.schedule(readyAt, Priority.CONTROL, new PodStep(pod, "ready", () -> {
            if (pod.phase() == PodPhase.RUNNING) {
                endpoints.setPhase(pod, PodPhase.READY);
            }
        }));
    }

    private void accepted(Pod pod, AcceptedConnection a) {
        acceptedBy.put(a.flowId(), Ip4.endpoint(a.localAddr(), a.localPort()));
        acceptedPod.put(a.flowId(), pod);
    }

    /** A pod lifecycle event, named for event traces. */
    private static final class PodStep implements Action {
        private final Pod pod;
        private final String what;
        private final Runnable body;

        PodStep(Pod pod, String what, Runnable body) {
            this.pod = pod;
            this.what = what;
            this.body = body;
        }

        @Override
        public void run() {
            body.run();
        }

        @Override
        public String describe() {
            return pod.name() + " " + what;
        }
    }

    /** Deletes a pod now: it stops being an endpoint and its namespace and address vanish. */
    public void deletePod(Pod pod) {
        endpoints.setPhase(pod, PodPhase.GONE);
        cluster.removePod(pod.name(), pod.ns(), cluster.node(pod.node()));
    }

    /** Takes a pod's {@code eth0} down; the pod and its address stay (see {@link Step.LinkDown}). */
    public void linkDown(Pod pod) {
        pod.ns().setLinkDown(pod.ns().device("eth0"));
    }

    private static void apply(NetNamespace ns, SortedMap<Sysctl, Long> values) {
        for (Map.Entry<Sysctl, Long> e : values.entrySet()) {
            ns.sysctls().set(e.getKey(), e.getValue());
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    public Simulation sim() {
        return sim;
    }

    public Network network() {
        return network;
    }

    public ClusterNetwork cluster() {
        return cluster;
    }

    /** Pods in creation order (deployments first, then clients). */
    public List<Pod> pods() {
        return Collections.unmodifiableList(pods);
    }

    /** The pod of this name, or null. */
    public Pod pod(String name) {
        for (Pod p : pods) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The backend {@code ip:port} that accepted a flow, or null. */
    public String backendOf(long flowId) {
        return acceptedBy.get(flowId);
    }

    /**
     * Forgets which backend accepted a flow, once its record has been counted: keeps long runs of
     * generated load from holding one entry per connection ever made.
     */
    public void forgetFlow(long flowId) {
        acceptedBy.remove(flowId);
        acceptedPod.remove(flowId);
    }

    /** The pod that accepted a flow (it may be gone since), or null. */
    public Pod backendPodOf(long flowId) {
        return acceptedPod.get(flowId);
    }

    /**
     * When the last backend pod created at start-up is ready: the latest {@code startup +
     * readinessDelay} over the deployments (0 without deployments). Generated client load starts
     * then.
     */
    public long initialPodsReadyNs() {
        long t = 0;
        for (Deployment d : scenario.deployments()) {
            if (d.replicas() > 0) {
                t = Math.max(t, d.pod().startupNs() + d.pod().readinessDelayNs());
            }
        }
        return t;
    }

    /** The first node's namespace: where scripted rule and conntrack steps act, and node sysctls are reported. */
    public NetNamespace node() {
        return cluster.node(1).namespace();
    }

    /** Every node's namespace. */
    public List<NetNamespace> nodes() {
        List<NetNamespace> out = new ArrayList<>();
        for (ClusterNetwork.Node n : cluster.nodes()) {
            out.add(n.namespace());
        }
        return out;
    }
}
