package io.svclab.net.tcp;

import io.svclab.sim.Priority;
import io.svclab.sim.Timer;

import java.util.function.Consumer;

/**
 * One socket of a {@link TcpStack}: a client connection, a listener's request or child, and the
 * timewait mini-socket it becomes. The object is its own retransmission / timewait timer
 * ({@code icsk_retransmit_timer}, {@code tw_timer}); a second timer runs the application's
 * timeouts (connect + request deadline, hold, service time). Both are re-armed, never replaced.
 */
final class TcpSocket extends Timer {

    /** What {@link #app} is armed for. */
    static final int APP_NONE = 0;
    static final int APP_TIMEOUT = 1;
    static final int APP_HOLD = 2;
    static final int APP_SERVICE = 3;
    /** Client keep-alive connection idle in its pool: closes with FIN when this fires. */
    static final int APP_IDLE = 4;
    /** Server keep-alive: the connection waits for its next request; closes with FIN when this fires. */
    static final int APP_KEEPALIVE = 5;

    final TcpStack stack;
    final boolean client;
    TcpState state;
    int laddr;
    int lport;
    int raddr;
    int rport;
    long flowId;
    /** Explicitly bound local port ({@code bind()} before {@code connect()}). */
    boolean bound;
    /** Next socket with the same (lport, raddr, rport) and another local address. */
    TcpSocket hashNext;

    // sequence space (unsigned 32-bit values in ints)
    int iss;
    int irs;
    int sndUna;
    int sndNxt;
    int rcvNxt;
    /** Sequence number after the last data byte sent. */
    int dataEnd;
    boolean finSent;

    // timestamps (RFC 7323)
    boolean tsOn;
    boolean tsOk;
    int tsOff;
    int tsRecent;
    long tsRecentStampSec;

    // retransmission
    long rtoNs;
    int retransmits;
    int backoff;
    int synRetransmissions;
    long lastSynNs;
    /** First transmission time of the oldest unacknowledged segment ({@code retrans_stamp}). */
    long rtxStampNs;
    /** {@code last_oow_ack_time}, or Long.MIN_VALUE. */
    long lastOowNs = Long.MIN_VALUE;

    // application
    final Timer app;
    int appMode;
    boolean orphan;
    ConnectSpec spec;
    Consumer<ConnectionRecord> done;
    /** Told once when the request/response exchange completes (before any hold and close), or null. */
    Consumer<ConnectionRecord> exchanged;
    boolean recorded;
    long startNs;
    long synSentNs = -1;
    long establishedNs = -1;
    int received;
    boolean exchangeDone;
    TcpStack.Listener listener;
    ServerSpec server;
    boolean accepted;
    boolean requestWaiting;
    boolean responsePending;
    /** The keep-alive connection this client socket carries, or null (one exchange per connection). */
    KeepAliveHandle ka;

    TcpSocket(TcpStack stack, boolean client) {
        super(stack.sim(), Priority.TIMER);
        this.stack = stack;
        this.client = client;
        this.app = new AppTimer(this);
    }

    @Override
    protected void fire() {
        stack.onTimer(this);
    }

    @Override
    public String describe() {
        return "tcp timer " + state + " :" + lport;
    }

    /** The application timer: a timer subclass, so a socket costs two objects, not three. */
    private static final class AppTimer extends Timer {
        private final TcpSocket s;

        AppTimer(TcpSocket s) {
            super(s.stack.sim(), Priority.TIMER);
            this.s = s;
        }

        @Override
        protected void fire() {
            s.stack.onAppTimer(s);
        }

        @Override
        public String describe() {
            return "tcp app timer :" + s.lport;
        }
    }
}
