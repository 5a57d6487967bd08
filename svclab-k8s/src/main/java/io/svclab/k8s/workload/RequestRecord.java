package io.svclab.k8s.workload;

import io.svclab.net.tcp.ConnectResult;

/**
 * One request of a client pod's load as its application saw it.
 *
 * @param pod the client pod
 * @param result {@code OK} or the error the application read (pooled: {@code APP_TIMEOUT} also for
 *     a request that waited in the pool's queue for its whole timeout)
 * @param arrivalNs when the request arose (pooled: before any wait for a connection)
 * @param endNs when its response was complete or it failed
 * @param flowId the connection that carried it, -1 when none did
 */
public record RequestRecord(String pod, ConnectResult result, long arrivalNs, long endNs, long flowId) {

    /** End minus arrival, ns. */
    public long latencyNs() {
        return endNs - arrivalNs;
    }
}
