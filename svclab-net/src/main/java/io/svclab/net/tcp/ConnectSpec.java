package io.svclab.net.tcp;

/**
 * One client connection: where to, which local port, the request/response sizes, the
 * application's timeout and how the connection ends.
 *
 * @param dstAddr destination address (e.g. a ClusterIP)
 * @param dstPort destination port
 * @param srcPort local port: 0 lets the kernel choose ({@code connect()} without {@code bind()});
 *     otherwise {@code bind()} with {@code SO_REUSEADDR} to that port first
 * @param requestBytes bytes the client writes once established (0 = none)
 * @param responseBytes bytes the client waits for before the exchange counts as done (0 = none)
 * @param appTimeoutNs the application's timeout on connect + request + response (0 = none)
 * @param holdNs how long the client keeps the connection open after the exchange before it closes
 *     (only when the client closes first)
 * @param closer which side closes first
 * @param closeKind how the client closes when it closes first
 */
public record ConnectSpec(int dstAddr, int dstPort, int srcPort, int requestBytes, int responseBytes,
                          long appTimeoutNs, long holdNs, Closer closer, CloseKind closeKind) {

    public ConnectSpec {
        if (dstPort < 1 || dstPort > 65535 || srcPort < 0 || srcPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (requestBytes < 0 || responseBytes < 0 || appTimeoutNs < 0 || holdNs < 0) {
            throw new IllegalArgumentException("negative size or time");
        }
        if (closer == null || closeKind == null) {
            throw new IllegalArgumentException("closer and closeKind are required");
        }
    }

    /** Kernel-chosen port, 100-byte request, 1000-byte response, no app timeout, client closes with FIN at once. */
    public static ConnectSpec to(int dstAddr, int dstPort) {
        return new ConnectSpec(dstAddr, dstPort, 0, 100, 1000, 0, 0, Closer.CLIENT, CloseKind.FIN);
    }

    public ConnectSpec withSourcePort(int port) {
        return new ConnectSpec(dstAddr, dstPort, port, requestBytes, responseBytes, appTimeoutNs, holdNs, closer, closeKind);
    }

    public ConnectSpec withExchange(int request, int response) {
        return new ConnectSpec(dstAddr, dstPort, srcPort, request, response, appTimeoutNs, holdNs, closer, closeKind);
    }

    public ConnectSpec withAppTimeout(long ns) {
        return new ConnectSpec(dstAddr, dstPort, srcPort, requestBytes, responseBytes, ns, holdNs, closer, closeKind);
    }

    public ConnectSpec withHold(long ns) {
        return new ConnectSpec(dstAddr, dstPort, srcPort, requestBytes, responseBytes, appTimeoutNs, ns, closer, closeKind);
    }

    public ConnectSpec closedBy(Closer who, CloseKind kind) {
        return new ConnectSpec(dstAddr, dstPort, srcPort, requestBytes, responseBytes, appTimeoutNs, holdNs, who, kind);
    }
}
