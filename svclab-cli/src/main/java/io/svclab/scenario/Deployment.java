package io.svclab.scenario;

import java.util.List;

/**
 * A Deployment behind a service: an item of {@code deployments}. Its pods are named
 * {@code <name>-<ordinal>} in creation order.
 *
 * @param name unique deployment name
 * @param service the service whose endpoints the pods are (default: the deployment's name)
 * @param replicas default 1
 * @param podIPs addresses the first pods take, in creation order (may be empty)
 * @param strategy rolling-update strategy
 * @param pod the pod template
 */
public record Deployment(String name, String service, int replicas, List<Integer> podIPs, Strategy strategy, PodSpec pod) {

    /** Copies the list. */
    public Deployment {
        podIPs = List.copyOf(podIPs);
    }
}
