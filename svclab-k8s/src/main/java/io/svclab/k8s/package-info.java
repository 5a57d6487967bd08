/**
 * The cluster around the datapath.
 *
 * <h2>Model</h2>
 * {@link io.svclab.k8s.ClusterNetwork}: nodes on a shared node network 10.250.0.0/24 with a
 * default route to an upstream router outside the simulation, pod ranges 10.244.N.0/24 routed
 * between nodes (host-gw), a {@code kube-ipvs0} dummy per node; pods attach either to a
 * {@code cni0} bridge (bridge plugin, kubenet, flannel) with a /32 address and an on-link default
 * route, so that all their traffic is routed — and tracked — by the node, or through one veth
 * pair each with a /32 route on the node (ptp plugin, Calico). {@link io.svclab.k8s.EndpointSlice}:
 * what the control plane ({@code controlplane}) publishes and kube-proxy ({@code kubeproxy})
 * consumes; client load lives in {@code workload}.
 *
 * <h2>Scope and limitations</h2>
 * Deleting a pod's network removes its namespace at once (no FIN, no RST; spec
 * ipvs-kube-proxy.md §6.3): on a bridge the node keeps the pod's MAC until neighbour probing
 * fails, with ptp the veth pair and its route vanish. Blackhole routes (Calico IPAM blocks) and
 * overlays are not modelled. Each subpackage lists its own limits.
 */
package io.svclab.k8s;
