/**
 * The cluster around the datapath.
 *
 * <h2>Model</h2>
 * {@link io.svclab.k8s.ClusterNetwork}: nodes on a shared node network 10.250.0.0/24 with a
 * default route to an upstream router outside the simulation, pod ranges 10.244.N.0/24 routed
 * between nodes (host-gw), a {@code kube-ipvs0} dummy per node; pods attach either to a
 * {@code cni0} bridge (bridge plugin, kubenet, flannel) with a /32 address and an on-link default
 * route, so that all their traffic is routed — and tracked — by the node, or through one veth
 * pair each with a /32 route on the node (ptp plugin, Calico). {@link io.svclab.k8s.Endpoints}:
 * the ready pods of each Service. {@link io.svclab.k8s.StaticProxier}: kube-proxy's iptables or
 * nftables rules written the instant the ready endpoints change, the interim proxier that
 * {@link io.svclab.k8s.kubeproxy.KubeProxy} supersedes (sync loop, start-up sysctls, IPVS proxier
 * and graceful termination, fed by {@link io.svclab.k8s.EndpointSlice}s).
 *
 * <h2>Scope and limitations</h2>
 * A pod listens at {@code startup} and is ready {@code readinessDelay} later; deleting it removes
 * its namespace at once (no FIN, no RST; spec ipvs-kube-proxy.md §6.3): on a bridge the node keeps
 * the pod's MAC until neighbour probing fails, with ptp the veth pair and its route vanish. Not yet
 * modelled here: Deployments and rolling updates, blackhole routes (Calico IPAM blocks), overlays.
 * kube-proxy's own scope is described in {@link io.svclab.k8s.kubeproxy}.
 */
package io.svclab.k8s;
