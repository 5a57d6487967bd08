package io.svclab.k8s.controlplane;

/** What a pod's application does when its container receives SIGTERM. */
public enum OnSigterm {
    /** The process exits at once: its listener closes and the kernel closes its connections. */
    EXIT,
    /** The process ignores SIGTERM and keeps serving until SIGKILL at the end of the grace period. */
    DRAIN
}
