package io.svclab.scenario;

/**
 * The simulated cluster network: scenario key {@code network} (an extension of the contract).
 *
 * @param nodes number of nodes, 1..64, default 1
 * @param intraNodeLatencyNs one-way latency between namespaces of one node, default 50 µs
 * @param interNodeLatencyNs one-way latency between nodes, default 200 µs
 * @param cni how pods attach to their node: {@code bridge} (default: one bridge per node, like the
 *     bridge plugin, kubenet, flannel) or {@code ptp} (one veth pair per pod with a /32 route, like
 *     the ptp plugin and Calico)
 */
public record Network(int nodes, long intraNodeLatencyNs, long interNodeLatencyNs, Cni cni) {
}
