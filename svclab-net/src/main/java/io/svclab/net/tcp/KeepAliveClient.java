package io.svclab.net.tcp;

/**
 * What the application using {@link KeepAliveConnection}s learns, on the simulated clock. Calls
 * arrive from inside the TCP receive or timer path: an implementation must not send on the
 * connection from within them (schedule the next request instead).
 */
public interface KeepAliveClient {

    /**
     * The outstanding request of {@code c} ended: {@link ConnectResult#OK} when its response is
     * complete and the request acknowledged, otherwise the error the application read (the
     * connect's error for the first request, {@code ECONNRESET}, {@code EOF}, {@code ETIMEDOUT},
     * {@code APP_TIMEOUT}). After an error the connection is closed and {@link #closed} follows.
     */
    void requestDone(KeepAliveConnection c, ConnectResult result);

    /**
     * The application is done with {@code c} (idle timeout, the peer's FIN while idle, or an
     * error), with the connection's record: {@code OK} for a clean close, else the error that
     * ended it (an RST while idle gives {@code ECONNRESET} without any request failing).
     */
    void closed(KeepAliveConnection c, ConnectionRecord record);
}
