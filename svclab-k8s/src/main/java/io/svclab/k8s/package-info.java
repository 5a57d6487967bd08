/**
 * The cluster: for now its network (nodes on a shared node network, a {@code cni0} bridge per
 * node with its pod range 10.244.N.0/24, pods as namespaces on the bridge with a default route
 * via the node, a {@code kube-ipvs0} dummy per node), as a bridge CNI with host-gw routes builds it.
 *
 * <h2>Scope and limitations</h2>
 * Deleting a pod removes its namespace at once (address gone, frames to its cached MAC lost):
 * spec ipvs-kube-proxy.md §6.3, same-node bridge CNI. Routed CNIs with blackhole routes
 * (Calico) and overlay encapsulation are not modelled. The control plane, kube-proxy and
 * workloads come with their issues.
 */
package io.svclab.k8s;
