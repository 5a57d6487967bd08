package io.svclab.k8s;

/**
 * A ClusterIP Service port as kube-proxy sees it.
 *
 * @param name Service name (namespace {@code default})
 * @param clusterIP the virtual address
 * @param port the Service port
 * @param targetPort the endpoints' port
 * @param protocol {@code TCP} or {@code UDP}
 * @param sessionAffinity {@code None} or {@code ClientIP}
 */
public record ServiceSpec(String name, int clusterIP, int port, int targetPort, String protocol, String sessionAffinity) {
}
