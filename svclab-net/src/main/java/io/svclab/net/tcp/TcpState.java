package io.svclab.net.tcp;

/**
 * Socket states as {@code /proc/net/tcp} and {@code ss} name them, with the {@code close()}
 * transition of each as data: the table {@code new_state[]} of net/ipv4/tcp.c
 * ({@code tcp_close_state}), which says where {@code close()} takes a socket and whether a FIN
 * is sent. {@link #FIN_WAIT2_ORPHAN} is the kernel's TIME_WAIT mini-socket in the FIN_WAIT2
 * substate ({@code tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)}).
 */
public enum TcpState {
    /** connect() sent a SYN. close(): gone, nothing sent (nothing to tell the peer yet). */
    SYN_SENT(false),
    /** A request socket of a listener (SYN received, SYN-ACK sent). close() of a child: FIN. */
    SYN_RECV(true),
    /** Synchronized. close(): FIN, wait for its ACK. */
    ESTABLISHED(true),
    /** Our FIN is unacknowledged. close() again: no change. */
    FIN_WAIT1(false),
    /** Our FIN was acknowledged, the peer's FIN is awaited (socket still owned by the application). */
    FIN_WAIT2(false),
    /** Orphaned FIN_WAIT2: a timewait mini-socket in the FIN_WAIT2 substate, tcp_fin_timeout. */
    FIN_WAIT2_ORPHAN(false),
    /** The peer's FIN arrived. close(): FIN, wait for its ACK. */
    CLOSE_WAIT(true),
    /** Both FINs crossed; ours is unacknowledged. */
    CLOSING(false),
    /** Closed after the peer; our FIN is unacknowledged. */
    LAST_ACK(false),
    /** The side that closed first waits 2 MSL (TCP_TIMEWAIT_LEN, 60 s). */
    TIME_WAIT(false),
    /** Gone. */
    CLOSE(false);

    // tcp_close_state's new_state[]: where close() goes from each state, and why
    static {
        ESTABLISHED.closeTo = FIN_WAIT1;      // our FIN goes out, the peer may still send
        CLOSE_WAIT.closeTo = LAST_ACK;        // the peer closed first: our FIN ends the connection
        SYN_SENT.closeTo = CLOSE;             // nothing synchronized yet: drop silently, no RST
        SYN_RECV.closeTo = FIN_WAIT1;         // (tcp_close on a child) FIN after the handshake
        FIN_WAIT1.closeTo = FIN_WAIT1;        // already closing: no change
        FIN_WAIT2.closeTo = FIN_WAIT2;        // already closing: no change
        CLOSING.closeTo = CLOSING;            // already closing: no change
        LAST_ACK.closeTo = LAST_ACK;          // already closing: no change
        TIME_WAIT.closeTo = TIME_WAIT;        // a timewait socket has no application
        FIN_WAIT2_ORPHAN.closeTo = FIN_WAIT2_ORPHAN; // a timewait socket has no application
        CLOSE.closeTo = CLOSE;                // gone
    }

    private TcpState closeTo;
    private final boolean closeSendsFin;

    TcpState(boolean closeSendsFin) {
        this.closeSendsFin = closeSendsFin;
    }

    /** The state {@code close()} moves to ({@code new_state[]}). */
    public TcpState closeTo() {
        return closeTo;
    }

    /** Whether {@code close()} sends a FIN from this state ({@code TCP_ACTION_FIN}). */
    public boolean closeSendsFin() {
        return closeSendsFin;
    }

    /** Whether the socket is a timewait mini-socket ({@code sk_state == TCP_TIME_WAIT}). */
    public boolean isTimewait() {
        return this == TIME_WAIT || this == FIN_WAIT2_ORPHAN;
    }

    /** RFC 793 synchronized states: a SYN here draws a challenge ACK ({@code tcp_validate_incoming}). */
    public boolean isSynchronized() {
        return this == ESTABLISHED || this == FIN_WAIT1 || this == FIN_WAIT2 || this == CLOSE_WAIT
                || this == CLOSING || this == LAST_ACK;
    }
}
