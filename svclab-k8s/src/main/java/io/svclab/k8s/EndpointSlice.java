package io.svclab.k8s;

import java.util.List;

/**
 * The endpoints of one Service as the control plane publishes them (discovery.k8s.io/v1
 * EndpointSlice, one slice per Service in this model), with the conditions kube-proxy reads.
 *
 * @param service the Service's name
 * @param generation increases with every change of this Service's slice
 * @param endpoints one entry per pod that backs the Service and still exists
 */
public record EndpointSlice(String service, long generation, List<Endpoint> endpoints) {

    public EndpointSlice {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One pod's endpoint.
     *
     * @param pod the pod's name
     * @param ip its address
     * @param port the Service's targetPort
     * @param ready condition {@code ready}: serving and not terminating
     * @param serving condition {@code serving}: the readiness probe passes
     * @param terminating condition {@code terminating}: the pod has a deletion timestamp
     */
    public record Endpoint(String pod, int ip, int port, boolean ready, boolean serving, boolean terminating) {
    }

    /** Told of a Service's new slice, already delayed by the watch delay of the receiving component. */
    @FunctionalInterface
    public interface Listener {
        void onSlice(EndpointSlice slice);
    }
}
