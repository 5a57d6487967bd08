/**
 * Building the world of a scenario and running it.
 *
 * <p>{@link io.svclab.run.World}: nodes with conntrack, their own TCP (a segment delivered to the
 * node without a socket, e.g. to a ClusterIP on kube-ipvs0 once IPVS dropped its entry, is
 * answered with RST: spec ipvs-kube-proxy.md §7 F6) and the rule engine of the proxy mode,
 * kube-proxy on every node (start-up sysctls, then the scenario's node sysctls), the control plane
 * creating and terminating the Deployments' pods through the world ({@code PodRuntime}), pods with
 * TCP stacks, client pods. {@link io.svclab.run.Runner}: timed events ({@code rollout},
 * {@code scale}), generated client load from when the first pods are ready and known to kube-proxy,
 * and the scripted steps in order on the simulated clock — {@code connect} (ends when its request
 * is done or has failed; the connection is then held and closed as the step says), {@code wait},
 * {@code iptables-restore}, {@code nft}, {@code ipvsadm}, {@code conntrack}, {@code sysctl},
 * {@code deletePod}, {@code linkDown}, {@code vanish}, {@code dump}. {@link io.svclab.run.Results}
 * aggregates every client connection into the contract's connections, backends and timeline, and
 * the generated load's requests into the {@code requests} block (an addition to the contract) and
 * the timeline's per-second request counts. Client load with {@code pattern: pooled} runs a
 * keep-alive pool per client pod ({@code poolSize} connections at most, closed after
 * {@code idleTimeout}; the pods' {@code keepAliveTimeout} makes the server close idle ones); its
 * connections keep their backend until they close, whatever the rules say meanwhile.
 * Rule or tool text the real tool would refuse stops the run with a located error and nothing is
 * written.
 *
 * <p>Checked after the built-in scenarios in tests ({@code RunInvariantsTest}): every client SYN
 * accounted for, tables within their limits, no connection reported twice.
 *
 * <p>Validation: {@code PooledRunTest} (a pooled connection through IPVS: weight 0 keeps it,
 * {@code ipvsadm -d} resets it after one retransmission on 4.19, at once on 6.1; a deleted pod
 * leaves the request to the application timeout in iptables mode),
 * {@code OracleScenariosTest} (conntrack oracle S0–S6), {@code IpvsOracleScenariosTest}
 * (the IPVS oracle's matrix on 6.1, this project's own VM run, the version switches),
 * {@code BuiltinScenariosTest} (each built-in scenario's headline figure).
 */
package io.svclab.run;
