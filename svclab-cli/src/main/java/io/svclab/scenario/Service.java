package io.svclab.scenario;

/**
 * A ClusterIP Service with one port: an item of {@code services}.
 *
 * @param name unique service name
 * @param clusterIP the virtual IP (required, unique)
 * @param port service port, default 80
 * @param targetPort the pods' port, default {@code port}
 * @param protocol default TCP
 * @param sessionAffinity default None
 * @param sessionAffinityTimeoutNs ClientIP affinity timeout, default 10800 s
 */
public record Service(String name, int clusterIP, int port, int targetPort, Protocol protocol,
        SessionAffinity sessionAffinity, long sessionAffinityTimeoutNs) {
}
