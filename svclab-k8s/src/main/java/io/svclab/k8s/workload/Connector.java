package io.svclab.k8s.workload;

import io.svclab.net.tcp.ConnectSpec;
import io.svclab.net.tcp.ConnectionRecord;

import java.util.function.Consumer;

/**
 * Opens one client connection now; {@code TcpStack::connect} of the client pod's namespace in a
 * run, a stand-in in tests.
 */
@FunctionalInterface
public interface Connector {

    /**
     * Opens a connection now; {@code done} receives its record when the application is done with
     * it, possibly before this method returns (no route, no local port).
     */
    void connect(ConnectSpec spec, Consumer<ConnectionRecord> done);
}
