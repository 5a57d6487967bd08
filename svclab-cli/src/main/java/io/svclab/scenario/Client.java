package io.svclab.scenario;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import io.svclab.kernel.Sysctl;

/**
 * A client workload: an item of {@code clients}.
 *
 * @param name unique client name
 * @param replicas client pods, default 1
 * @param target the service it connects to
 * @param connectionsPerSecond open-loop rate of new connections, default 100
 * @param arrivals default poisson
 * @param concurrency closed-loop workers; 0 (default) = open loop
 * @param pattern default short
 * @param poolSize keep-alive pool size for pooled, default 10
 * @param idleTimeoutNs idle timeout of a pooled connection, default 90 s
 * @param requestDurationNs default 2 ms
 * @param timeoutNs the application's timeout on connect+request, default 3 s; 0 = the kernel's own
 * @param sysctl sysctls of the client pods' network namespaces, as set in the file
 */
public record Client(String name, int replicas, String target, double connectionsPerSecond, Arrivals arrivals,
        int concurrency, Pattern pattern, int poolSize, long idleTimeoutNs, long requestDurationNs, long timeoutNs,
        SortedMap<Sysctl, Long> sysctl) {

    /** Copies the map into an unmodifiable sorted map. */
    public Client {
        sysctl = Collections.unmodifiableSortedMap(new TreeMap<>(sysctl));
    }
}
