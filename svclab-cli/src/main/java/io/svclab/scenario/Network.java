package io.svclab.scenario;

/**
 * The simulated cluster network: scenario key {@code network} (an extension of the contract).
 *
 * @param nodes number of nodes, 1..64, default 1
 * @param intraNodeLatencyNs one-way latency between namespaces of one node, default 50 µs
 * @param interNodeLatencyNs one-way latency between nodes, default 200 µs
 */
public record Network(int nodes, long intraNodeLatencyNs, long interNodeLatencyNs) {
}
