package io.svclab.run;

import io.svclab.k8s.ClusterNetwork;
import io.svclab.kernel.Sysctl;
import io.svclab.net.NetNamespace;
import io.svclab.net.Network;
import io.svclab.net.trace.Trace;
import io.svclab.scenario.Client;
import io.svclab.scenario.Deployment;
import io.svclab.scenario.Scenario;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Everything one run simulates, built once from a scenario: the simulation kernel, the network of
 * nodes and pods, with the scenario's sysctls applied to each namespace.
 */
public final class World {

    /** A pod of a deployment or a client, with its namespace. */
    public record Pod(String name, String owner, boolean client, int ip, int node, NetNamespace ns) {
    }

    private final Scenario scenario;
    private final Simulation sim;
    private final Network network;
    private final ClusterNetwork cluster;
    private final List<Pod> pods = new ArrayList<>();

    private World(Scenario scenario, Trace trace) {
        this.scenario = scenario;
        this.sim = new Simulation(scenario.seed());
        this.network = new Network(sim, scenario.kernelProfile(), trace);
        io.svclab.scenario.Network n = scenario.network();
        this.cluster = new ClusterNetwork(network, n.nodes(), n.intraNodeLatencyNs(), n.interNodeLatencyNs());
        for (ClusterNetwork.Node node : cluster.nodes()) {
            apply(node.namespace(), scenario.sysctl());
        }
    }

    /** Builds the world of a validated scenario. */
    public static World build(Scenario scenario, Trace trace) {
        World w = new World(scenario, trace);
        int placed = 0;
        for (Deployment d : scenario.deployments()) {
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
                        io.svclab.scenario.SourcePos at = scenario.position(field);
                        throw new io.svclab.scenario.ScenarioException(List.of(new io.svclab.scenario.Problem(
                                at.file(), at.line(), at.column(), field + "[" + i + "]",
                                io.svclab.net.Ip4.format(ip) + " is outside the pod ranges of the nodes (10.244.1.0/24 .. 10.244."
                                        + last + ".0/24)")));
                    }
                    w.cluster.reserve(node, ip);
                } else {
                    node = w.cluster.node(1 + placed % w.cluster.nodes().size());
                    ip = w.cluster.allocatePodIp(node);
                }
                placed++;
                NetNamespace ns = w.cluster.addPod(name, node, ip);
                apply(ns, d.pod().sysctl());
                w.pods.add(new Pod(name, d.name(), false, ip, node.index(), ns));
            }
        }
        for (Client c : scenario.clients()) {
            for (int i = 0; i < c.replicas(); i++) {
                String name = c.name() + "-" + i;
                ClusterNetwork.Node node = w.cluster.node(1 + i % w.cluster.nodes().size());
                int ip = w.cluster.allocatePodIp(node);
                NetNamespace ns = w.cluster.addPod(name, node, ip);
                apply(ns, c.sysctl());
                w.pods.add(new Pod(name, c.name(), true, ip, node.index(), ns));
            }
        }
        return w;
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

    /** The first node's namespace: where Services are handled and node sysctls are reported. */
    public NetNamespace node() {
        return cluster.node(1).namespace();
    }
}
