package io.svclab.sim;

/**
 * Priorities of events that fall on the same instant: lower runs first; events of equal time and
 * priority run in the order they were scheduled. The classes below fix the order between
 * subsystems so that a run never depends on which of two simultaneous events was scheduled first
 * when the two belong to different subsystems.
 */
public final class Priority {

    /** Control plane: API objects change (pods, EndpointSlices, scenario steps). */
    public static final int CONTROL = 0;
    /** Table expiry: conntrack, IPVS and neighbour entries whose timer is due. */
    public static final int EXPIRY = 10;
    /** Timers of endpoints: retransmissions, TIME_WAIT, application timeouts. */
    public static final int TIMER = 20;
    /** A packet arriving at the far end of a link. */
    public static final int PACKET = 30;
    /** Bookkeeping that must observe the state after everything else at that instant. */
    public static final int OBSERVE = 100;

    /** Priorities must fit this many bits in the event key. */
    static final int BITS = 15;
    static final int MAX = (1 << BITS) - 1;

    private Priority() {
    }
}
