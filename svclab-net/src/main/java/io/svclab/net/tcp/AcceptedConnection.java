package io.svclab.net.tcp;

import io.svclab.net.NetNamespace;

/**
 * A server socket was accepted by the application: which connection (by the flow id of the SYN
 * that created it) reached which backend.
 *
 * @param timeNs when it was accepted
 * @param flowId the flow id the accepted SYN carried
 * @param namespace the server's namespace (the backend)
 * @param localAddr the server's address as the packets arrived (after any DNAT)
 * @param localPort the server's port
 * @param remoteAddr the peer address as seen by the server (after any SNAT)
 * @param remotePort the peer port as seen by the server
 */
public record AcceptedConnection(long timeNs, long flowId, NetNamespace namespace, int localAddr, int localPort,
                                 int remoteAddr, int remotePort) {
}
