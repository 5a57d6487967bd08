package io.svclab.k8s.controlplane;

import java.util.List;
import java.util.Objects;

/**
 * A Deployment with the RollingUpdate strategy (scenario {@code deployments[]}).
 *
 * @param name the Deployment's name; its pods are {@code <name>-<ordinal>}
 * @param service the Service whose EndpointSlice lists its pods
 * @param replicas desired replicas
 * @param podIPs fixed addresses, taken by ordinal: pod {@code <name>-i} gets {@code podIPs[i]},
 *     later pods get 0 (the runtime allocates one)
 * @param maxSurge {@code strategy.rollingUpdate.maxSurge} (percentages round up)
 * @param maxUnavailable {@code strategy.rollingUpdate.maxUnavailable} (percentages round down);
 *     if both resolve to 0, maxUnavailable is taken as 1, as the Deployment controller does
 * @param template the pods' timing and SIGTERM behaviour
 */
public record DeploymentSpec(String name, String service, int replicas, List<Integer> podIPs,
        IntOrPercent maxSurge, IntOrPercent maxUnavailable, PodTemplate template) {

    public DeploymentSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("deployment name must not be empty");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        podIPs = List.copyOf(podIPs);
        Objects.requireNonNull(maxSurge, "maxSurge");
        Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        Objects.requireNonNull(template, "template");
    }

    /**
     * The surge and unavailability bounds for {@code desired} replicas, as
     * {@code deploymentutil.ResolveFenceposts}: surge rounded up, unavailable rounded down, and
     * unavailable 1 when both come out 0.
     *
     * @return {@code {surge, unavailable}}
     */
    public static int[] resolveFenceposts(IntOrPercent maxSurge, IntOrPercent maxUnavailable, int desired) {
        int surge = maxSurge.scaledValue(desired, true);
        int unavailable = maxUnavailable.scaledValue(desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }
}
