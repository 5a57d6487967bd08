package io.svclab.net.tcp;

/** How the closing side closes. */
public enum CloseKind {
    /** {@code close()}: a FIN, the peer's close follows; the first closer holds TIME_WAIT. */
    FIN,
    /** Abortive close ({@code SO_LINGER} 0, {@code tcp_send_active_reset}): RST|ACK, no TIME_WAIT. */
    RST
}
