/**
 * kube-proxy on one node: start-up sysctls, the sync loop, the iptables, nftables and IPVS
 * proxiers, IPVS graceful termination and the UDP conntrack cleanup, on the simulated clock.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li><b>Configuration</b> ({@link io.svclab.k8s.kubeproxy.KubeProxy.Config}): mode, version
 *       {@code 1.NN} (a minor release behaves as its .0), IPVS scheduler (default {@code rr}),
 *       syncPeriod (default 30 s), minSyncPeriod (−1 = the mode's default: iptables 1 s from 1.19
 *       and 0 before (kubernetes #92836), nftables 1 s, IPVS 0 s, the historic
 *       {@code --ipvs-min-sync-period} default; spec ipvs-kube-proxy.md §5.3 says current docs give
 *       1 s without a version: set it explicitly to model that), {@code --masquerade-all},
 *       {@code --cluster-cidr} 10.244.0.0/16, CPU count for {@code nf_conntrack_max}. nftables
 *       mode needs kube-proxy 1.29+ and kernel 5.13+.</li>
 *   <li><b>Start-up</b> ({@link io.svclab.k8s.kubeproxy.KubeProxy#start()}): the sysctls of
 *       {@link io.svclab.k8s.kubeproxy.StartupSysctls} (conntrack max and TCP timeouts in every
 *       mode; in IPVS mode {@code vs.conntrack=1}, {@code conn_reuse_mode=0} by version and kernel,
 *       {@code expire_nodest_conn=1} and {@code expire_quiescent_template=1} from 1.14,
 *       {@code ip_forward=1}); then, in IPVS mode, every ClusterIP bound on {@code kube-ipvs0}
 *       and IPVS loaded with the conntrack bridge when absent; conntrack and the rule backend are
 *       installed when absent. The initial sync runs at once and outside the runner, as
 *       {@code OnEndpointSlicesSynced} calls {@code syncProxyRules} directly; iptables mode then
 *       adds its jump rules.</li>
 *   <li><b>Sync loop</b> ({@link io.svclab.k8s.kubeproxy.BoundedFrequencyRunner}): every
 *       EndpointSlice (already delayed by the watch delay) is recorded (older generations are
 *       ignored) and requests a run; the runner lets {@code burstSyncs = 2} runs through back to
 *       back from a full token bucket that refills one token per minSyncPeriod, defers the next
 *       to {@code lastRun + minSyncPeriod}, and runs at the latest syncPeriod after the last run.
 *       Three slices within 100 ms after a quiet period therefore sync twice at once and once
 *       minSyncPeriod after the second; once the burst is spent, one sync at once and one
 *       minSyncPeriod later. A sync takes no simulated time.</li>
 *   <li><b>iptables / nftables</b>: each sync is a full sync by
 *       {@link io.svclab.net.kubeproxy.KubeProxyIptables} ({@code iptables-restore --noflush}) or
 *       {@link io.svclab.net.kubeproxy.KubeProxyNftables} ({@code nft -f}), given the previous
 *       sync's chains so that unused KUBE-SVC/KUBE-SEP (service/endpoint) chains are deleted.
 *       Endpoints: the ready ones; when none is ready, the serving-terminating ones
 *       (KEP-1669, on by default from 1.26 in iptables and IPVS, always in nftables).</li>
 *   <li><b>IPVS</b> ({@code syncService}, {@code syncEndpoint}): one virtual server per
 *       ClusterIP:port with the configured scheduler, persistent 10800 s with netmask
 *       255.255.255.255 for {@code ClientIP} affinity; real servers Masq weight 1 added in sorted
 *       {@code ip:port} order; on the first sync existing real servers get weight 1 again; a real
 *       server no longer wanted goes to the
 *       {@link io.svclab.k8s.kubeproxy.GracefulTerminationManager} (deleted at once when UDP or
 *       ActiveConn + InActConn == 0, else weight 0 and checked every 60 s from start-up); a listed
 *       real server wanted again is deleted and added back with weight 1.</li>
 *   <li><b>UDP conntrack cleanup</b> after every sync: UDP entries whose original destination is
 *       a UDP Service's ClusterIP:port and whose reply source is not one of the endpoints in use
 *       are deleted (this also clears entries cached while the Service had no endpoint). TCP
 *       entries are never deleted.</li>
 * </ul>
 *
 * <h2>Scope and limitations</h2>
 * ClusterIP Services only: no NodePort, external or LoadBalancer IPs, traffic policies, topology
 * hints, health-check ports, {@code --ipvs-strict-arp}, IPVS timeouts flags, dual stack, SCTP. The
 * Service list is fixed at construction (Service add/delete events are not modelled), one slice
 * per Service. In IPVS mode the proxier's iptables and ipset rules (KUBE-POSTROUTING masquerade,
 * KUBE-MARK-MASQ for off-cluster sources, KUBE-LOAD-BALANCER...) are not written, nor is the
 * address cleanup of {@code kube-ipvs0}. Partial syncs (1.27+), canary-chain monitoring (recent
 * iptables and nftables proxiers pass one hour as the runner's maximum interval and rely on the
 * canary; here every mode re-syncs each syncPeriod), sync errors and the runner's retry path,
 * the one-hour forced full sync, {@code route_localnet}, {@code bridge-nf-call-iptables}, conntrack
 * hashsize, and the UDP cleanup's pre-1.28 form (driven by the change tracker's stale endpoints
 * rather than a table scan; same entries deleted here) are not modelled. The graceful list is
 * visited in insertion order (a Go map in kube-proxy).
 *
 * <h2>References</h2>
 * kubernetes/kubernetes: {@code pkg/util/async/bounded_frequency_runner.go};
 * {@code pkg/proxy/ipvs/proxier.go} ({@code NewProxier}, {@code syncService},
 * {@code syncEndpoint}), {@code pkg/proxy/ipvs/graceful_termination.go},
 * {@code pkg/proxy/ipvs/util/ipvs.go} ({@code IsRsGracefulTerminationNeeded});
 * {@code pkg/proxy/iptables/proxier.go}, {@code pkg/proxy/nftables/proxier.go};
 * {@code pkg/proxy/topology.go} ({@code CategorizeEndpoints}); {@code pkg/proxy/conntrack/cleanup.go};
 * {@code cmd/kube-proxy/app/conntrack.go}; PRs #71114, #71834, #88541, #102122, #92836; KEP-1669.
 * Spec: ipvs-kube-proxy.md §5, conntrack-nat-tcp.md §6.
 *
 * <h2>Validation</h2>
 * Unit tests in this package: the runner's timings (burst, deferral, 30 s period, minSyncPeriod 0),
 * the start-up sysctls over a (version, kernel) table, {@code ipvsadm -Ln} after syncs, graceful
 * termination driven by packets through the IPVS hooks (weight 0 at once, deletion at the 240 s
 * check after TIME_WAIT ends at about 190 s), UDP real servers, the comeback path, KEP-1669 by
 * version, iptables-save and nft chains after syncs, and the UDP-only conntrack cleanup. Not yet
 * compared with a real kube-proxy trace.
 *
 * <p>Traced (when the trace is enabled, for explanations): in iptables and nftables mode each sync
 * that puts an endpoint into a Service's rules or takes it out ({@code Decided.Kind.PROXY_ENDPOINT},
 * by address); in IPVS mode the real server changes are traced by IPVS itself (weight set, deleted).
 */
package io.svclab.k8s.kubeproxy;
