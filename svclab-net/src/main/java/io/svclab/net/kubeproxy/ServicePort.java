package io.svclab.net.kubeproxy;

import java.util.List;

/**
 * One port of a Service as kube-proxy's iptables and nftables proxiers see it, with its
 * endpoints (from the EndpointSlices).
 *
 * @param namespace Service namespace
 * @param name Service name
 * @param portName the port's name, empty for an unnamed single port
 * @param clusterIP dotted quad
 * @param port Service port
 * @param targetPort used for endpoints that carry port 0
 * @param protocol {@code TCP} or {@code UDP}
 * @param sessionAffinity {@code None} or {@code ClientIP}
 * @param endpoints every endpoint, ready or not
 * @param affinitySeconds ClientIP affinity timeout ({@code sessionAffinityConfig.clientIP.timeoutSeconds}, default 10800)
 */
public record ServicePort(String namespace, String name, String portName, String clusterIP, int port, int targetPort,
                          String protocol, String sessionAffinity, List<Endpoint> endpoints, int affinitySeconds) {

    /**
     * One endpoint address and port with its EndpointSlice conditions.
     *
     * @param ip dotted quad
     * @param port endpoint port, 0 = the Service's targetPort
     * @param ready condition {@code ready}
     * @param serving condition {@code serving}
     * @param terminating condition {@code terminating}
     */
    public record Endpoint(String ip, int port, boolean ready, boolean serving, boolean terminating) {

        /** A ready, serving, not terminating endpoint. */
        public static Endpoint ready(String ip, int port) {
            return new Endpoint(ip, port, true, true, false);
        }
    }

    public ServicePort {
        endpoints = List.copyOf(endpoints);
    }

    /** Without an affinity timeout of its own: kube-proxy's default 10800 s. */
    public ServicePort(String namespace, String name, String portName, String clusterIP, int port, int targetPort,
                       String protocol, String sessionAffinity, List<Endpoint> endpoints) {
        this(namespace, name, portName, clusterIP, port, targetPort, protocol, sessionAffinity, endpoints, 10800);
    }

    /** Whether ClientIP session affinity is on. */
    public boolean clientIpAffinity() {
        return "ClientIP".equals(sessionAffinity);
    }

    /** {@code ServicePortName.String()}: {@code namespace/name:portName}, or {@code namespace/name} without a port name. */
    public String servicePortName() {
        return namespace + "/" + name + (portName == null || portName.isEmpty() ? "" : ":" + portName);
    }

    /** The protocol in lower case, as the chain hashes and {@code -p} use it. */
    public String proto() {
        return protocol.toLowerCase(java.util.Locale.ROOT);
    }
}
