/**
 * Building the world of a scenario and running it.
 *
 * <p>{@link io.svclab.run.World}: nodes with conntrack and the rule engine of the proxy mode
 * (iptables, nftables, IPVS for ipvsadm steps), pods with TCP stacks, backends listening on their
 * Service's target port, kube-proxy's rules for ready endpoints. {@link io.svclab.run.Runner}: the
 * scripted steps in order on the simulated clock — {@code connect} (ends when its request is done
 * or has failed; the connection is then held and closed as the step says), {@code wait},
 * {@code iptables-restore}, {@code nft}, {@code ipvsadm}, {@code conntrack}, {@code sysctl},
 * {@code deletePod}, {@code linkDown}, {@code vanish}, {@code dump} — then the simulation to the
 * scenario's end. Rule or tool text the real tool would refuse stops the run with a located error
 * and nothing is written.
 *
 * <p>Generated client load ({@code clients[].connectionsPerSecond} or {@code concurrency}) runs
 * through {@link io.svclab.k8s.workload.LoadGenerator}, one per client pod, from the moment the
 * last backend pod created at start-up is ready to the scenario's end; {@link io.svclab.run.Results}
 * folds every client connection (generated or scripted) into the result's {@code connections},
 * {@code backends} and {@code timeline}.
 *
 * <p>Refused with a located error until their models exist: kube-proxy's IPVS mode, rollout and
 * scale events, pooled client load. Listed in the result's {@code notModelled}: kube-proxy's sync
 * timing.
 *
 * <p>Validation: {@code OracleScenariosTest} (conntrack oracle S0–S6), {@code IpvsOracleScenariosTest}
 * (the IPVS oracle's matrix on 6.1, this project's own VM run, the version switches).
 */
package io.svclab.run;
