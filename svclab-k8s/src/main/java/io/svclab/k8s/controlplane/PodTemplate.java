package io.svclab.k8s.controlplane;

import java.util.Objects;

/**
 * What every pod of a Deployment does on the simulated clock (scenario {@code deployments[].pod}).
 *
 * @param startupNs from creation until the application listens
 * @param readinessDelayNs from listening until the readiness probe passes (the pod is ready)
 * @param preStopNs the preStop hook's sleep, run when the pod is deleted, before SIGTERM
 * @param terminationGracePeriodNs {@code terminationGracePeriodSeconds}: from the deletion until
 *     SIGKILL, preStop included; the kubelet never grants less than 2 s after SIGTERM
 * @param onSigterm whether the application exits on SIGTERM or drains until SIGKILL
 */
public record PodTemplate(long startupNs, long readinessDelayNs, long preStopNs, long terminationGracePeriodNs,
        OnSigterm onSigterm) {

    /** Kubernetes' default {@code terminationGracePeriodSeconds}: 30 s. */
    public static final long DEFAULT_GRACE_NS = 30_000_000_000L;

    public PodTemplate {
        requireNonNegative("startup", startupNs);
        requireNonNegative("readinessDelay", readinessDelayNs);
        requireNonNegative("preStop", preStopNs);
        requireNonNegative("terminationGracePeriod", terminationGracePeriodNs);
        Objects.requireNonNull(onSigterm, "onSigterm");
    }

    private static void requireNonNegative(String what, long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + ns + " ns");
        }
    }
}
