package io.svclab.k8s.workload;

import io.svclab.net.tcp.CloseKind;
import io.svclab.net.tcp.Closer;

/**
 * The load one client pod generates.
 *
 * @param pod the client pod's name; names the random streams ({@code client/<pod>/arrivals},
 *     {@code client/<pod>/phase})
 * @param dstAddr where the connections go (a ClusterIP)
 * @param dstPort the destination port
 * @param connectionsPerSecond open-loop rate of new connections (ignored when {@code concurrency > 0})
 * @param arrivals how open-loop arrivals are spaced
 * @param concurrency closed-loop workers; 0 = open loop
 * @param pattern how requests map to connections
 * @param timeoutNs the application's own timeout on connect + request + response; 0 = the kernel's
 * @param closer which side closes a finished connection first
 * @param closeKind how the client closes when it closes first
 * @param startNs when the first connection may open
 * @param stopNs no connection opens at or after this instant (connections in flight run on)
 * @param maxConnections pooled: the most connections the pod's pool holds open at once (idle,
 *     busy or connecting; {@code clients[].poolSize}); at least 1
 * @param idleTimeoutNs pooled: an idle connection closes after this long; 0 = never
 */
public record ClientLoad(String pod, int dstAddr, int dstPort, double connectionsPerSecond, Arrivals arrivals,
                         int concurrency, Pattern pattern, long timeoutNs, Closer closer, CloseKind closeKind,
                         long startNs, long stopNs, int maxConnections, long idleTimeoutNs) {

    /** A load with a one-connection pool and no idle timeout (what {@code short} loads ignore). */
    public ClientLoad(String pod, int dstAddr, int dstPort, double connectionsPerSecond, Arrivals arrivals,
                      int concurrency, Pattern pattern, long timeoutNs, Closer closer, CloseKind closeKind,
                      long startNs, long stopNs) {
        this(pod, dstAddr, dstPort, connectionsPerSecond, arrivals, concurrency, pattern, timeoutNs, closer, closeKind,
                startNs, stopNs, 1, 0);
    }

    /** Checks the values. */
    public ClientLoad {
        if (pod == null || arrivals == null || pattern == null || closer == null || closeKind == null) {
            throw new IllegalArgumentException("pod, arrivals, pattern, closer and closeKind are required");
        }
        if (concurrency < 0 || connectionsPerSecond < 0 || Double.isNaN(connectionsPerSecond)
                || Double.isInfinite(connectionsPerSecond)) {
            throw new IllegalArgumentException(pod + ": rate and concurrency must be finite and not negative");
        }
        if (timeoutNs < 0 || startNs < 0 || stopNs < startNs) {
            throw new IllegalArgumentException(pod + ": timeout, start and stop must satisfy 0 <= start <= stop");
        }
        if (maxConnections < 1 || idleTimeoutNs < 0) {
            throw new IllegalArgumentException(pod + ": maxConnections must be >= 1 and idleTimeout >= 0");
        }
    }

    /** Whether this load sends any request at all. */
    public boolean active() {
        return concurrency > 0 || connectionsPerSecond > 0;
    }

    /** How open-loop arrivals are spaced. */
    public enum Arrivals {
        /** Exponential gaps (a Poisson process) at the given mean rate. */
        POISSON,
        /** Fixed intervals of 1/rate, starting at a per-pod phase within the first interval. */
        CONSTANT
    }

    /** How requests map to connections. */
    public enum Pattern {
        /** One request per connection; the kernel chooses the local port. */
        SHORT,
        /** Requests arrive at the rate and take a connection from a keep-alive pool (HTTP/1.1 client). */
        POOLED
    }
}
