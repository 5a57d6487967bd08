package io.svclab.net.tcp;

import io.svclab.net.Ip4;
import io.svclab.net.trace.TraceEvent;

/**
 * The outcome of one client connection, handed to the caller's listener when the application is
 * done with it and emitted to the trace when tracing is on.
 *
 * @param where the client's namespace
 * @param result what the application saw
 * @param startNs when {@code connect()} was called
 * @param connectNs first SYN → ESTABLISHED or connect failure, ns (for failures after
 *     establishment: the connect duration; -1 when no SYN was ever sent)
 * @param endNs when the application was done (response complete and own close, or the failure)
 * @param synRetransmissions SYN retransmissions of this connect
 * @param localPort the client's port (0 when none could be had)
 * @param remoteAddr the address the client connected to (a ClusterIP stays a ClusterIP)
 * @param remotePort the port the client connected to
 * @param flowId the connection's flow id
 */
public record ConnectionRecord(String where, ConnectResult result, long startNs, long connectNs, long endNs,
                               int synRetransmissions, int localPort, int remoteAddr, int remotePort, long flowId)
        implements TraceEvent {

    /** End minus start, ns. */
    public long durationNs() {
        return endNs - startNs;
    }

    @Override
    public long time() {
        return endNs;
    }

    @Override
    public String format() {
        return "tcp connection :" + localPort + " > " + Ip4.endpoint(remoteAddr, remotePort) + " " + result
                + " connect " + connectNs + " ns total " + durationNs() + " ns syn-rtx " + synRetransmissions;
    }
}
