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
    SYN_SENT(null, false),
    /** A request socket of a listener (SYN received, SYN-ACK sent). Not closed by an application. */
    SYN_RECV(null, false),
    /** Synchronized. close(): FIN, wait for its ACK. */
    ESTABLISHED(null, true),
    /** Our FIN is unacknowledged. close() again: no change. */
    FIN_WAIT1(null, false),
    /** Our FIN was acknowledged, the peer's FIN is awaited (socket still owned by the application). */
    FIN_WAIT2(null, false),
    /** Orphaned FIN_WAIT2: a timewait mini-socket in the FIN_WAIT2 substate, tcp_fin_timeout. */
    FIN_WAIT2_ORPHAN(null, false),
    /** The peer's FIN arrived. close(): FIN, wait for its ACK. */
    CLOSE_WAIT(null, true),
    /** Both FINs crossed; ours is unacknowledged. */
    CLOSING(null, false),
    /** Closed after the peer; our FIN is unacknowledged. */
    LAST_ACK(null, false),
    /** The side that closed first waits 2 MSL (TCP_TIMEWAIT_LEN, 60 s). */
    TIME_WAIT(null, false),
    /** Gone. */
    CLOSE(null, false);

    static {
        ESTABLISHED.closeTo = FIN_WAIT1;
        CLOSE_WAIT.closeTo = LAST_ACK;
        SYN_SENT.closeTo = CLOSE;
        SYN_RECV.closeTo = FIN_WAIT1;
        FIN_WAIT1.closeTo = FIN_WAIT1;
        FIN_WAIT2.closeTo = FIN_WAIT2;
        CLOSING.closeTo = CLOSING;
        LAST_ACK.closeTo = LAST_ACK;
        TIME_WAIT.closeTo = TIME_WAIT;
        FIN_WAIT2_ORPHAN.closeTo = FIN_WAIT2_ORPHAN;
        CLOSE.closeTo = CLOSE;
    }

    private TcpState closeTo;
    private final boolean closeSendsFin;

    TcpState(TcpState closeTo, boolean closeSendsFin) {
        this.closeTo = closeTo;
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
