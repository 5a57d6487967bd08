package io.svclab.net.tcp;

/** The {@link KeepAliveConnection} of one client socket of a {@link TcpStack}. */
final class KeepAliveHandle implements KeepAliveConnection {

    final TcpStack stack;
    final KeepAliveClient client;
    /** Client idle timeout, ns; 0 = none. */
    final long idleNs;
    /** The socket, once {@code connect()} created it (null after an immediate failure). */
    TcpSocket socket;
    boolean open = true;
    /** A request is outstanding (the first one from the moment of connect). */
    boolean active = true;
    /** Sequence number after the outstanding request's last byte. */
    int requestEnd;
    /** {@code received} count at which the outstanding response is complete. */
    int responseTarget;
    int done;
    long flow = -1;

    KeepAliveHandle(TcpStack stack, KeepAliveClient client, long idleNs) {
        this.stack = stack;
        this.client = client;
        this.idleNs = idleNs;
    }

    /** The socket's record: the application is done with the connection. */
    void onRecord(ConnectionRecord r) {
        open = false;
        flow = r.flowId();
        if (active) {
            active = false;
            client.requestDone(this, r.result() == ConnectResult.OK ? ConnectResult.EOF : r.result());
        }
        client.closed(this, r);
    }

    @Override
    public void request() {
        if (!isIdle()) {
            throw new IllegalStateException("keep-alive connection is not idle");
        }
        stack.keepAliveRequest(this);
    }

    @Override
    public void close() {
        if (isIdle()) {
            stack.keepAliveClose(this);
        }
    }

    @Override
    public boolean isIdle() {
        return open && !active && socket != null && socket.state == TcpState.ESTABLISHED && !socket.orphan;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long flowId() {
        return socket != null ? socket.flowId : flow;
    }

    @Override
    public int requestsDone() {
        return done;
    }
}
