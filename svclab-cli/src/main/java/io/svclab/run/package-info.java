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
 * <p>Explanations (contract §4.3, {@code --explain N}): {@link io.svclab.run.ExplainCollector} is
 * the run's trace sink when asked for. It follows each client connection from its first SYN by
 * flow id, keeps the latest 64 decisions the model traced for it (client TCP, conntrack and NAT,
 * IPVS, drops, lost frames), forgets them when the connection ends OK on its first SYN, and keeps
 * the first N failed or delayed connections by start time (then flow id), whatever order they ended
 * in. Decisions no packet caused (pod lifecycle steps from the deletion on, real servers set to
 * weight 0 or deleted) are kept apart and joined to a chain by the backend address its IPVS entry or
 * DNAT names. {@link io.svclab.run.Explanation} is that chain plus a summary paragraph built from the
 * recorded decisions only. Limits: a connection whose decisions outnumber the ring loses its oldest
 * ones (the chain says how many); connections still open at the end are not explained; kube-proxy's
 * iptables and nftables rule syncs are not traced as decisions (the pod's deletion and teardown are,
 * and the DNAT that still names the gone pod); server-side decisions appear only when they carry the
 * client's flow id; neighbour (ARP) state changes are not joined to chains. Cost: the sink asks for
 * no per-hook packet lines and builds no entry text until printed; on the incident (~34 000
 * connections, 120 s, warmed-up JVM) the run's thread needed 0.415 s of CPU with
 * {@code --explain 3} against 0.34 s without, and allocated 93 MB against 45 MB.
 *
 * <p>Validation: {@code PooledRunTest} (a pooled connection through IPVS: weight 0 keeps it,
 * {@code ipvsadm -d} resets it after one retransmission on 4.19, at once on 6.1; a deleted pod
 * leaves the request to the application timeout in iptables mode),
 * {@code OracleScenariosTest} (conntrack oracle S0–S6), {@code IpvsOracleScenariosTest}
 * (the IPVS oracle's matrix on 6.1, this project's own VM run, the version switches),
 * {@code BuiltinScenariosTest} (each built-in scenario's headline figure), {@code ExplanationsTest}
 * (scripted IPVS TIME_WAIT reuse on 4.19 with conn_reuse_mode 0 and 1, an iptables DNAT to a gone
 * pod: the entries, sysctls, SYN instants and outcomes; the incident's JSON unchanged by explaining).
 */
package io.svclab.run;
