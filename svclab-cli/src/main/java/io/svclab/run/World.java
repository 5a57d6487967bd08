package io.svclab.run;

import io.svclab.k8s.ClusterNetwork;
import io.svclab.k8s.Pod;
import io.svclab.k8s.ServiceSpec;
import io.svclab.k8s.controlplane.ControlPlane;
import io.svclab.k8s.controlplane.DeploymentSpec;
import io.svclab.k8s.controlplane.IntOrPercent;
import io.svclab.k8s.controlplane.OnSigterm;
import io.svclab.k8s.controlplane.PodRuntime;
import io.svclab.k8s.controlplane.PodTemplate;
import io.svclab.k8s.kubeproxy.KubeProxy;
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
import io.svclab.scenario.Event;
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
 * every node; kube-proxy on every node; the control plane, for which the world is the
 * {@link PodRuntime} (pod sandboxes, listening applications, process exits, teardown); a TCP stack
 * in every pod; client pods.
 */
public final class World implements PodRuntime {

    private final Scenario scenario;
    private final Simulation sim;
    private final Network network;
    private final ClusterNetwork cluster;
    private final List<Pod> pods = new ArrayList<>();
    private final List<KubeProxy> proxies = new ArrayList<>();
    private ControlPlane controlPlane;
    /** Round-robin placement of pods without a fixed address. */
    private int placed;
    /** Which backend accepted each flow: flow id → {@code ip:port}. */
    private final it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap acceptedBy = new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap();
    /** Which pod accepted each flow: flow id → pod (kept when the pod is gone). */
    private final Long2ObjectOpenHashMap<Pod> acceptedPod = new Long2ObjectOpenHashMap<>();

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
            Conntrack.install(ns);
            // the node's own TCP: a segment delivered locally without a socket (e.g. to a ClusterIP
            // on kube-ipvs0 once IPVS has no entry for it) is answered with RST, as on a real node
            TcpStack.install(ns);
            if (nft) {
                NftablesRuleset.install(ns);
            } else {
                IptablesTables.install(ns);
            }
            if (ipvs && scenario.proxy().mode() == ProxyMode.NONE) {
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

    /**
     * Builds the world of a validated scenario at time 0: kube-proxy starts on every node (its
     * start-up sysctls, then the scenario's node sysctls on top, as an operator would), the
     * control plane creates the Deployments' pods, kube-proxy subscribes to the EndpointSlices with
     * the watch delay, then the client pods are created and the timed events scheduled.
     */
    public static World build(Scenario scenario, Trace trace) {
        World w = new World(scenario, trace);
        ProxyMode mode = scenario.proxy().mode();
        if (mode != ProxyMode.NONE) {
            List<ServiceSpec> specs = new ArrayList<>();
            for (Service s : scenario.services()) {
                specs.add(new ServiceSpec(s.name(), s.clusterIP(), s.port(), s.targetPort(), s.protocol().name(),
                        s.sessionAffinity().yamlName()));
            }
            io.svclab.scenario.Proxy p = scenario.proxy();
            KubeProxy.Mode km = mode == ProxyMode.IPVS ? KubeProxy.Mode.IPVS
                    : mode == ProxyMode.NFTABLES ? KubeProxy.Mode.NFTABLES : KubeProxy.Mode.IPTABLES;
            KubeProxy.Config cfg;
            try {
                cfg = KubeProxy.Config.defaults(km, p.version()).withScheduler(p.scheduler().yamlName())
                        .withSyncPeriodNs(p.syncPeriodNs()).withMinSyncPeriodNs(p.minSyncPeriodNs());
            } catch (IllegalArgumentException e) {
                SourcePos at = scenario.position("proxy.version");
                throw new ScenarioException(List.of(new Problem(at.file(), at.line(), at.column(), "proxy",
                        e.getMessage())));
            }
            for (ClusterNetwork.Node node : w.cluster.nodes()) {
                KubeProxy kp = new KubeProxy(cfg, specs, node);
                kp.start();
                w.proxies.add(kp);
            }
        }
        for (ClusterNetwork.Node node : w.cluster.nodes()) {
            apply(node.namespace(), scenario.sysctl());
        }
        ControlPlane cp = new ControlPlane(w.sim, w);
        w.controlPlane = cp;
        for (Service s : scenario.services()) {
            cp.addService(s.name(), s.targetPort());
        }
        for (Deployment d : scenario.deployments()) {
            cp.addDeployment(spec(d));
        }
        for (KubeProxy kp : w.proxies) {
            cp.subscribe(kp, scenario.proxy().watchDelayNs());
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
        for (Event e : scenario.events()) {
            w.sim.schedule(e.atNs(), Priority.CONTROL, new ScenarioEvent(cp, e));
        }
        return w;
    }

    private static DeploymentSpec spec(Deployment d) {
        io.svclab.scenario.PodSpec p = d.pod();
        PodTemplate t = new PodTemplate(p.startupNs(), p.readinessDelayNs(), p.preStopNs(), p.terminationGracePeriodNs(),
                p.onSigterm() == io.svclab.scenario.OnSigterm.DRAIN ? OnSigterm.DRAIN : OnSigterm.EXIT);
        return new DeploymentSpec(d.name(), d.service(), d.replicas(), d.podIPs(),
                new IntOrPercent(d.strategy().maxSurge().value(), d.strategy().maxSurge().percent()),
                new IntOrPercent(d.strategy().maxUnavailable().value(), d.strategy().maxUnavailable().percent()), t);
    }

    /** A timed event of the scenario: {@code kubectl rollout restart} or {@code kubectl scale}. */
    private static final class ScenarioEvent implements Action {
        private final ControlPlane cp;
        private final Event event;

        ScenarioEvent(ControlPlane cp, Event event) {
            this.cp = cp;
            this.event = event;
        }

        @Override
        public void run() {
            if (event instanceof Event.Rollout) {
                cp.rolloutRestart(((Event.Rollout) event).deployment());
            } else if (event instanceof Event.Scale) {
                Event.Scale sc = (Event.Scale) event;
                cp.scale(sc.deployment(), sc.replicas());
            }
        }

        @Override
        public String describe() {
            return event instanceof Event.Rollout ? "rollout restart " + ((Event.Rollout) event).deployment()
                    : "scale " + ((Event.Scale) event).deployment();
        }
    }

    // ------------------------------------------------------------------ PodRuntime

    private Deployment deployment(String name) {
        for (Deployment d : scenario.deployments()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no deployment " + name);
    }

    private Service serviceOf(Deployment d) {
        for (Service s : scenario.services()) {
            if (s.name().equals(d.service())) {
                return s;
            }
        }
        throw new IllegalArgumentException("no service " + d.service());
    }

    @Override
    public Pod create(String podName, String deploymentName, int fixedIpOrZero) {
        Deployment d = deployment(deploymentName);
        ClusterNetwork.Node node;
        int ip;
        if (fixedIpOrZero != 0) {
            ip = fixedIpOrZero;
            node = cluster.nodeOf(ip);
            if (node == null) {
                int last = cluster.nodes().size();
                String field = "deployments[" + scenario.deployments().indexOf(d) + "].podIPs";
                SourcePos at = scenario.position(field);
                throw new ScenarioException(List.of(new Problem(at.file(), at.line(), at.column(),
                        field + "[" + d.podIPs().indexOf(ip) + "]", Ip4.format(ip) + " is outside the pod ranges"
                                + " of the nodes (10.244.1.0/24 .. 10.244." + last + ".0/24)")));
            }
            cluster.reserve(node, ip);
        } else {
            node = cluster.node(1 + placed % cluster.nodes().size());
            ip = cluster.allocatePodIp(node);
        }
        placed++;
        NetNamespace ns = cluster.addPod(podName, node, ip);
        apply(ns, d.pod().sysctl());
        TcpStack.install(ns);
        Pod pod = new Pod(podName, deploymentName, false, node.index(), ip, ns);
        pods.add(pod);
        return pod;
    }

    /** The application listens on its Service's target port; its requests take the client's requestDuration. */
    @Override
    public void startServing(Pod pod) {
        Deployment d = deployment(pod.owner());
        Service svc = serviceOf(d);
        long requestNs = 0;
        for (Client c : scenario.clients()) {
            if (c.target().equals(svc.name())) {
                requestNs = c.requestDurationNs();
                break;
            }
        }
        ServerSpec spec = new ServerSpec().serviceTimeNs(requestNs)
                .closer(d.pod().closer() == io.svclab.scenario.Closer.SERVER ? Closer.SERVER : Closer.CLIENT, CloseKind.FIN)
                .closeOnPeerFin(d.pod().onClientClose() == io.svclab.scenario.OnClientClose.CLOSE)
                .keepAliveTimeoutNs(d.pod().keepAliveTimeoutNs())
                .setAcceptHandler(a -> accepted(pod, a));
        TcpStack.of(pod.ns()).listen(svc.targetPort(), spec);
    }

    @Override
    public void processExit(Pod pod) {
        if (!pod.ns().destroyed()) {
            TcpStack.of(pod.ns()).processExit(serviceOf(deployment(pod.owner())).targetPort());
        }
    }

    @Override
    public void destroy(Pod pod) {
        if (!pod.ns().destroyed()) {
            cluster.removePod(pod.name(), pod.ns(), cluster.node(pod.node()));
        }
    }

    private void accepted(Pod pod, AcceptedConnection a) {
        // the address and port, formatted only when a step asks (backendOf): no string per connection
        acceptedBy.put(a.flowId(), (a.localAddr() & 0xFFFFFFFFL) << 16 | a.localPort());
        acceptedPod.put(a.flowId(), pod);
    }

    /**
     * Removes a pod at once (the {@code deletePod} step): its address vanishes with no FIN and no
     * RST, and its ReplicaSet replaces it, as after a force deletion.
     */
    public void deletePod(Pod pod) {
        controlPlane.vanishPod(pod.name());
    }

    /** The control plane (Deployments, pods, EndpointSlices). */
    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** kube-proxy on each node, in node order (empty in mode none). */
    public List<KubeProxy> proxies() {
        return Collections.unmodifiableList(proxies);
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
        if (!acceptedBy.containsKey(flowId)) {
            return null;
        }
        long ep = acceptedBy.get(flowId);
        return Ip4.endpoint((int) (ep >>> 16), (int) (ep & 0xFFFF));
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
     * When the last backend pod created at start-up is ready and kube-proxy has been told (the
     * latest {@code startup + readinessDelay} over the deployments, plus the watch delay when a
     * kube-proxy runs): generated client load starts then, so that it measures the Service, not
     * the cluster's start.
     */
    public long initialPodsReadyNs() {
        long t = 0;
        for (Deployment d : scenario.deployments()) {
            if (d.replicas() > 0) {
                t = Math.max(t, d.pod().startupNs() + d.pod().readinessDelayNs());
            }
        }
        return proxies.isEmpty() ? t : t + scenario.proxy().watchDelayNs();
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
