package io.svclab.k8s.controlplane;

/**
 * One step in a pod's life as the control plane drove it, for timelines and tests.
 *
 * @param timeNs the simulated instant
 * @param kind what happened
 * @param pod the pod's name
 */
public record PodEvent(long timeNs, Kind kind, String pod) {

    /** The steps of a pod's life, in the order they can happen. */
    public enum Kind {
        /** The ReplicaSet controller created the pod; its sandbox exists. */
        CREATED,
        /** The application listens. */
        LISTENING,
        /** The readiness probe passed. */
        READY,
        /** The pod got its deletion timestamp (the ReplicaSet controller scaled it away). */
        DELETED,
        /** The kubelet sent SIGTERM (after preStop). */
        SIGTERM,
        /** The kubelet sent SIGKILL at the end of the grace period. */
        SIGKILL,
        /** The application process is gone: its listener is closed. */
        EXITED,
        /** The sandbox is torn down: the address vanished; the pod left the EndpointSlice. */
        DESTROYED
    }

    /** A stable one-line form, e.g. {@code "3.000s DELETED backend-2"}. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d.%03ds %s %s", timeNs / 1_000_000_000L,
                timeNs / 1_000_000L % 1000, kind, pod);
    }
}
