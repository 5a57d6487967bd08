package io.svclab.scenario;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import io.svclab.kernel.Sysctl;

/**
 * The pods of a deployment: key {@code deployments[].pod}.
 *
 * @param startupNs from creation to listening, default 2 s
 * @param readinessDelayNs from listening to ready, default 1 s
 * @param preStopNs preStop sleep, default 0
 * @param terminationGracePeriodNs default 30 s
 * @param onSigterm default exit
 * @param closer who sends FIN first on a finished request, default client
 * @param onClientClose what the application does when the client closes first (default close)
 * @param sysctl sysctls of the pod's own network namespace, as set in the file
 * @param keepAliveTimeoutNs how long the application keeps an idle connection open after its last
 *     response, then closes it with FIN; default 0 = never (Go's {@code http.Server} default;
 *     nginx: 75 s, Node.js: 5 s)
 */
public record PodSpec(long startupNs, long readinessDelayNs, long preStopNs, long terminationGracePeriodNs,
        OnSigterm onSigterm, Closer closer, OnClientClose onClientClose, SortedMap<Sysctl, Long> sysctl,
        long keepAliveTimeoutNs) {

    /** Pods that never close an idle connection themselves. */
    public PodSpec(long startupNs, long readinessDelayNs, long preStopNs, long terminationGracePeriodNs,
            OnSigterm onSigterm, Closer closer, OnClientClose onClientClose, SortedMap<Sysctl, Long> sysctl) {
        this(startupNs, readinessDelayNs, preStopNs, terminationGracePeriodNs, onSigterm, closer, onClientClose, sysctl,
                0);
    }

    /** Copies the map into an unmodifiable sorted map. */
    public PodSpec {
        sysctl = Collections.unmodifiableSortedMap(new TreeMap<>(sysctl));
    }
}
