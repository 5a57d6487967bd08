package io.svclab.net.tcp;

/**
 * What the client application sees for one connection (spec conntrack-nat-tcp.md §7.4), named
 * after the errno {@code connect()}, {@code read()} or {@code write()} returns.
 */
public enum ConnectResult {
    /** The request was answered (and the connection closed as configured). */
    OK,
    /** RST in SYN_SENT, or ICMP port unreachable ({@code tcp_reset}, {@code icmp_err_convert}). */
    ECONNREFUSED,
    /** ICMP host unreachable or administratively prohibited in SYN_SENT (fatal there). */
    EHOSTUNREACH,
    /** ICMP net unreachable, or no route at the client itself. */
    ENETUNREACH,
    /** No answer: the SYN retransmissions (or data retransmissions) ran out. */
    ETIMEDOUT,
    /** RST after the connection was established, before the response was complete. */
    ECONNRESET,
    /**
     * The server closed (FIN) before the response was complete: {@code read()} returned 0 early.
     */
    EOF,
    /** No usable local port, or the fixed local port's 4-tuple is taken ({@code __inet_hash_connect}). */
    EADDRNOTAVAIL,
    /** {@code bind()} to a fixed local port that a listener holds. */
    EADDRINUSE,
    /** The application's own timeout on connect + request fired first; the socket was closed. */
    APP_TIMEOUT
}
