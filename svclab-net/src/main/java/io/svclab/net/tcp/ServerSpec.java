package io.svclab.net.tcp;

import java.util.function.Consumer;

/**
 * How a listening application behaves: its accept backlog, the time it takes to answer a request,
 * the response size and how it closes. Mutable until passed to {@link TcpStack#listen}; setters
 * return {@code this}.
 */
public final class ServerSpec {

    private int backlog = 4096;
    private long serviceTimeNs;
    private int responseBytes = 1000;
    private Closer closer = Closer.CLIENT;
    private CloseKind closeKind = CloseKind.FIN;
    private boolean closeOnPeerFin = true;
    private long keepAliveTimeoutNs;
    private Consumer<AcceptedConnection> acceptHandler;

    /**
     * The {@code listen()} backlog: a SYN is dropped while the accept queue holds more than this
     * many connections ({@code sk_acceptq_is_full}: {@code ack_backlog > max_ack_backlog}).
     * Not capped by {@code net.core.somaxconn} in this model.
     */
    public ServerSpec backlog(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("backlog < 0");
        }
        backlog = n;
        return this;
    }

    /** Time between a request's arrival and the response being written. */
    public ServerSpec serviceTimeNs(long ns) {
        serviceTimeNs = ns;
        return this;
    }

    /** Bytes written in answer to each request (0 = none). */
    public ServerSpec responseBytes(int n) {
        responseBytes = n;
        return this;
    }

    /**
     * {@link Closer#SERVER}: the server closes right after writing its response, with
     * {@code kind}; {@link Closer#CLIENT}: it waits for the client's FIN.
     */
    public ServerSpec closer(Closer who, CloseKind kind) {
        closer = who;
        closeKind = kind;
        return this;
    }

    /**
     * Whether the application closes when it reads the peer's FIN (default true). False models an
     * application that never closes: the socket stays in CLOSE_WAIT.
     */
    public ServerSpec closeOnPeerFin(boolean yes) {
        closeOnPeerFin = yes;
        return this;
    }

    /**
     * Server keep-alive timeout: after writing a response (when the client closes first), the
     * application waits this long for the next request on the connection, then closes it with FIN
     * (nginx {@code keepalive_timeout}, Node.js {@code server.keepAliveTimeout}). 0 (default) = no
     * limit, as Go's {@code http.Server} without {@code IdleTimeout} or {@code ReadTimeout}.
     */
    public ServerSpec keepAliveTimeoutNs(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("keep-alive timeout < 0");
        }
        keepAliveTimeoutNs = ns;
        return this;
    }

    public long keepAliveTimeoutNs() {
        return keepAliveTimeoutNs;
    }

    /** Called for each connection the application accepts. */
    public ServerSpec setAcceptHandler(Consumer<AcceptedConnection> handler) {
        acceptHandler = handler;
        return this;
    }

    public int backlog() {
        return backlog;
    }

    public long serviceTimeNs() {
        return serviceTimeNs;
    }

    public int responseBytes() {
        return responseBytes;
    }

    public Closer closer() {
        return closer;
    }

    public CloseKind closeKind() {
        return closeKind;
    }

    public boolean closeOnPeerFin() {
        return closeOnPeerFin;
    }

    public Consumer<AcceptedConnection> acceptHandler() {
        return acceptHandler;
    }
}
