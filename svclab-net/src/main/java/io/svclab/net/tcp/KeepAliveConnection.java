package io.svclab.net.tcp;

/**
 * A client connection kept open for several request/response exchanges (HTTP keep-alive), opened
 * by {@link TcpStack#connectKeepAlive}. Its first request is sent as soon as the handshake
 * completes; later ones when the application calls {@link #request()} on the connection while it
 * is idle. Outcomes reach the {@link KeepAliveClient} given at connect.
 */
public interface KeepAliveConnection {

    /**
     * Sends the next request now. The application's timeout ({@link ConnectSpec#appTimeoutNs()})
     * runs from here; the idle timer stops.
     *
     * @throws IllegalStateException when the connection is not idle
     */
    void request();

    /** The application closes the idle connection ({@code close()}: FIN). Ignored unless idle. */
    void close();

    /** Established, open, no request outstanding: ready for {@link #request()}. */
    boolean isIdle();

    /** Not yet reported closed to the {@link KeepAliveClient}. */
    boolean isOpen();

    /** The connection's flow id (the id of its SYN), or -1 when no socket was ever created. */
    long flowId();

    /** Requests answered on this connection so far. */
    int requestsDone();
}
