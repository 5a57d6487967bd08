package io.svclab.net.trace;

/**
 * A step in a pod's life as the control plane or the kubelet drove it (deletion timestamp,
 * SIGTERM, SIGKILL, process exit, address removed). Tied to connections by the pod's address.
 *
 * @param time simulated time, ns
 * @param where {@code control-plane} or {@code kubelet}
 * @param pod the pod's name
 * @param ip the pod's address
 * @param event the step ({@code CREATED}, {@code READY}, {@code DELETED}, {@code SIGTERM}, {@code SIGKILL},
 *     {@code EXITED}, {@code DESTROYED}, …)
 * @param what the step in an operator's words
 */
public record PodChanged(long time, String where, String pod, int ip, String event, String what)
        implements TraceEvent {

    @Override
    public long flowId() {
        return 0;
    }

    @Override
    public String format() {
        return "k8s " + what;
    }
}
