package io.svclab.k8s.workload;

import io.svclab.net.tcp.ConnectSpec;
import io.svclab.net.tcp.KeepAliveClient;
import io.svclab.net.tcp.KeepAliveConnection;

/**
 * Opens one keep-alive connection now for a pooled load; {@code TcpStack::connectKeepAlive} of
 * the client pod's namespace in a run.
 */
@FunctionalInterface
public interface KeepAliveConnector {

    /** Opens a connection whose first request goes out once established; see {@link KeepAliveClient}. */
    KeepAliveConnection open(ConnectSpec spec, long idleTimeoutNs, KeepAliveClient client);
}
