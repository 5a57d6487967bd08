package io.svclab.k8s;

/** Where a pod is in its life, as the datapath sees it. */
public enum PodPhase {
    /** Created; its network namespace exists but the application does not listen yet. */
    STARTING,
    /** The application listens; the readiness probe has not passed yet. */
    RUNNING,
    /** Ready: an endpoint of its Service. */
    READY,
    /** Deleted: the namespace and its address are gone. */
    GONE
}
