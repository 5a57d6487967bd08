package io.svclab.sim;

import java.util.SplittableRandom;

/**
 * One run of the discrete-event kernel: a simulated clock in nanoseconds, the event queue, the
 * timer wheel and the run's random streams. Single-threaded; parallel sweeps run one Simulation
 * per thread and share nothing.
 *
 * <p>Order is total: events run by (time, priority, scheduling order). Timers that are due are
 * moved from the wheel into the queue at their exact deadline before any later event runs, so a
 * timer fires at its deadline exactly, ordered against other events like any event; its place in
 * the scheduling order is taken when it is (re-)armed.
 */
public final class Simulation {

    private final EventQueue queue = new EventQueue();
    private final TimerWheel wheel;
    private final RngStreams rng;
    private long now;
    private long executed;
    /** Queue entries of timers that were cancelled or re-armed after entering the queue. */
    private int stale;
    private boolean stopped;
    private EventListener listener;

    public Simulation(long seed) {
        this.rng = new RngStreams(seed);
        this.wheel = new TimerWheel(this::wheelToQueue);
    }

    /** The simulated time, ns since the start of the run. */
    public long now() {
        return now;
    }

    /** The number of events executed so far (stale timer entries are not counted). */
    public long eventsExecuted() {
        return executed;
    }

    /** The number of events and armed timers still pending. */
    public int pending() {
        return queue.size() - stale + wheel.size();
    }

    public long seed() {
        return rng.seed();
    }

    /** The named random stream, see {@link RngStreams}. */
    public SplittableRandom rng(String name) {
        return rng.stream(name);
    }

    /** Observes each executed event; {@code null} removes the listener. */
    public void setListener(EventListener listener) {
        this.listener = listener;
    }

    /**
     * Schedules a one-shot event. Use a {@link Timer} for anything that may be cancelled.
     *
     * @return the event's sequence number within the run
     */
    public long schedule(long timeNs, int priority, Action action) {
        if (timeNs < now) {
            throw new IllegalArgumentException("event at " + timeNs + " ns is in the past (now " + now + " ns)");
        }
        return queue.push(timeNs, priority, action);
    }

    /** Schedules a one-shot event {@code delayNs} from now. */
    public long scheduleIn(long delayNs, int priority, Action action) {
        return schedule(now + delayNs, priority, action);
    }

    /** A new idle timer that runs {@code action} when it fires. */
    public Timer timer(int priority, Action action) {
        return new Timer(this, priority, action);
    }

    void arm(Timer t, long deadline) {
        if (t.sim != this) {
            throw new IllegalArgumentException("timer of another simulation");
        }
        if (deadline < now) {
            throw new IllegalArgumentException("timer deadline " + deadline + " ns is in the past (now " + now + " ns)");
        }
        if (t.state == Timer.IN_WHEEL && deadline >= wheel.flushedUntil() && wheel.bucketOf(deadline) == t.bucket) {
            // Re-armed within its bucket (a conntrack entry refreshed by its next packet): only the
            // deadline and the sequence number change. The place in the bucket's list decides
            // nothing (the queue orders by deadline, priority, sequence), so the timer need not
            // be unlinked and relinked, which would touch its neighbours in the list.
            t.deadline = deadline;
            t.queueSeq = queue.reserveSeq();
            return;
        }
        disarm(t);
        t.deadline = deadline;
        // The sequence number is taken now, not when the wheel hands the timer to the queue:
        // the wheel hands out a bucket's timers in list order, and would otherwise decide the
        // order of timers and events of equal deadline and priority.
        t.queueSeq = queue.reserveSeq();
        if (deadline < wheel.flushedUntil()) {
            toQueue(t);
        } else {
            wheel.add(t);
        }
    }

    void disarm(Timer t) {
        if (t.state == Timer.IN_WHEEL) {
            wheel.remove(t);
        } else if (t.state == Timer.IN_QUEUE) {
            stale++;
        }
        t.state = Timer.IDLE;
        t.queueSeq = 0;
    }

    private void wheelToQueue(Timer t) {
        toQueue(t);
    }

    private void toQueue(Timer t) {
        t.state = Timer.IN_QUEUE;
        queue.push(t.deadline, t.priority, t.queueSeq, t);
    }

    /** Ends {@link #runUntil(long)} after the current event. */
    public void stop() {
        stopped = true;
    }

    /**
     * Runs every event due at or before {@code endNs}, then sets the clock to {@code endNs}
     * (unless stopped earlier).
     *
     * @return the number of events executed by this call
     */
    public long runUntil(long endNs) {
        long before = executed;
        stopped = false;
        while (!stopped && step(endNs)) {
            // one event per iteration
        }
        if (!stopped && now < endNs) {
            now = endNs;
        }
        return executed - before;
    }

    /** Runs until nothing is pending. */
    public long runToCompletion() {
        return runUntil(Long.MAX_VALUE);
    }

    /**
     * Executes the next event if it is due at or before {@code limitNs}.
     *
     * @return whether an event (or a stale timer entry) was consumed
     */
    public boolean step(long limitNs) {
        long t = queue.peekTime();
        if (wheel.size() > 0 && t >= wheel.flushedUntil()) {
            wheel.advance(Math.min(t, limitNs));
            t = queue.peekTime();
        }
        if (t > limitNs || queue.isEmpty()) {
            return false;
        }
        Action a = queue.headAction();
        long seq = queue.headSeq();
        int prio = queue.headPriority();
        queue.pop();
        if (a instanceof Timer) {
            Timer timer = (Timer) a;
            if (timer.state != Timer.IN_QUEUE || timer.queueSeq != seq) {
                stale--;
                return true; // cancelled or re-armed: a stale entry
            }
            timer.state = Timer.IDLE;
            timer.queueSeq = 0;
        }
        now = t;
        executed++;
        if (listener != null) {
            listener.onEvent(t, prio, seq, a);
        }
        a.run();
        return true;
    }
}
