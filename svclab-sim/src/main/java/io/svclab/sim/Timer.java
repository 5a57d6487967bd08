package io.svclab.sim;

/**
 * A reusable, cheaply cancellable timer of one {@link Simulation}.
 *
 * <p>A pending timer lives either in the simulation's {@link TimerWheel} (far deadlines: insert
 * and cancel are O(1) list operations) or, once its deadline is near, in the event queue. A timer
 * in the event queue is cancelled lazily: its queue entry stays and is skipped when popped,
 * because the timer remembers the sequence number of its current entry only. Re-arming an armed
 * timer cancels the old deadline. Neither operation allocates.
 *
 * <p>Subclass and override {@link #fire()} (tables whose entries are their own timers, such as
 * conntrack entries), or pass an {@link Action} to {@link Simulation#timer(int, Action)}.
 */
public class Timer implements Action {

    static final int IDLE = 0;
    static final int IN_WHEEL = 1;
    static final int IN_QUEUE = 2;

    final Simulation sim;
    final int priority;
    private final Action target;

    long deadline;
    int state;
    /**
     * While armed: the sequence number of the current arming, taken from the event queue when the
     * timer is armed. It orders the timer against events of equal time and priority, and while
     * {@link #IN_QUEUE} it identifies the live queue entry.
     */
    long queueSeq;
    /** While {@link #IN_WHEEL}: level * 256 + index of the bucket, and the list links. */
    int bucket;
    Timer prev;
    Timer next;

    /** A timer that runs {@code target} when it fires. */
    public Timer(Simulation sim, int priority, Action target) {
        EventQueue.checkPriority(priority);
        this.sim = sim;
        this.priority = priority;
        this.target = target;
    }

    /** For subclasses that override {@link #fire()}. */
    protected Timer(Simulation sim, int priority) {
        this(sim, priority, null);
    }

    /** Arms the timer for an absolute simulated time (not before now), replacing any earlier deadline. */
    public final void schedule(long deadlineNs) {
        sim.arm(this, deadlineNs);
    }

    /** Arms the timer {@code delayNs} from now. */
    public final void scheduleIn(long delayNs) {
        sim.arm(this, sim.now() + delayNs);
    }

    /** Disarms the timer; a no-op when it is not armed. */
    public final void cancel() {
        sim.disarm(this);
    }

    public final boolean isPending() {
        return state != IDLE;
    }

    /** The deadline of the armed timer (meaningless when idle). */
    public final long deadline() {
        return deadline;
    }

    /** What happens when the deadline is reached. */
    protected void fire() {
        target.run();
    }

    /** Called by the run loop for every queue entry of this timer; stale entries are ignored. */
    @Override
    public final void run() {
        fire();
    }

    @Override
    public String describe() {
        return target != null ? target.describe() : getClass().getSimpleName();
    }
}
