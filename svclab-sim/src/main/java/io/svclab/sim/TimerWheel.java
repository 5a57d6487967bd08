package io.svclab.sim;

/**
 * A hierarchical timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels", 1987)
 * holding the timers whose deadlines are not yet near. It does not fire timers itself: when the
 * run loop is about to execute an event at time t, {@link #advance(long)} moves every timer with a
 * deadline at or before t into the event queue at its exact deadline. The wheel therefore changes
 * only the cost of timers, never when they fire, and the event order stays total and
 * deterministic.
 *
 * <p>Layout: {@value #LEVELS} levels of 64 buckets. A level-0 bucket spans one tick of 2^{@value
 * #SHIFT0} ns (about 16.8 ms); each level above spans 64 times more. {@code flushed} (F) is the
 * first tick not yet moved to the queue: every timer in the wheel has a deadline at or after F.
 * A timer with deadline d goes to the lowest level L at which d and F agree on all bits above
 * level L's span, in the bucket of d's bits at that level, which is always F's bucket or a later
 * one. A 64-bit occupancy mask per level finds the next non-empty bucket in O(1). When F enters a
 * new bucket of level L ≥ 1, that bucket's timers are re-placed at lower levels (cascading), top
 * level first.
 */
final class TimerWheel {

    static final int SHIFT0 = 24;
    static final int BITS = 6;
    static final int SLOTS = 1 << BITS;
    static final int LEVELS = 7;
    private static final long TICK = 1L << SHIFT0;

    private final Timer[] heads = new Timer[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS];
    private long flushed;
    private int count;

    /** Called with every timer leaving the wheel for the event queue. */
    interface Sink {
        void toQueue(Timer t);
    }

    private final Sink sink;

    TimerWheel(Sink sink) {
        this.sink = sink;
    }

    private static int shift(int level) {
        return SHIFT0 + BITS * level;
    }

    /** First instant not yet flushed: timers due before it belong in the queue, not here. */
    long flushedUntil() {
        return flushed;
    }

    int size() {
        return count;
    }

    /** Places a timer due at or after {@link #flushedUntil()}. */
    void add(Timer t) {
        int b = bucketOf(t.deadline);
        int level = b / SLOTS;
        int idx = b % SLOTS;
        Timer h = heads[b];
        t.prev = null;
        t.next = h;
        if (h != null) {
            h.prev = t;
        }
        heads[b] = t;
        t.bucket = b;
        t.state = Timer.IN_WHEEL;
        occupied[level] |= 1L << idx;
        count++;
    }

    /**
     * The bucket ({@code level * 64 + index}) that {@link #add} would choose now for a deadline at
     * or after {@link #flushedUntil()}.
     */
    int bucketOf(long d) {
        long diff = d ^ flushed;
        int level;
        if ((diff >>> shift(1)) == 0) {
            level = 0;
        } else {
            int high = 63 - Long.numberOfLeadingZeros(diff);
            level = (high - SHIFT0) / BITS;
        }
        int idx = (int) (d >>> shift(level)) & (SLOTS - 1);
        return level * SLOTS + idx;
    }

    /** Unlinks a timer that is in the wheel. */
    void remove(Timer t) {
        int b = t.bucket;
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[b] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        if (heads[b] == null) {
            occupied[b / SLOTS] &= ~(1L << (b % SLOTS));
        }
        count--;
    }

    /** Moves every timer with a deadline at or before {@code t} to the queue. */
    void advance(long t) {
        while (count > 0) {
            int idx0 = (int) (flushed >>> SHIFT0) & (SLOTS - 1);
            long m = occupied[0] & (-1L << idx0);
            if (m != 0) {
                int j = Long.numberOfTrailingZeros(m);
                long start = (flushed & ~((1L << shift(1)) - 1)) | ((long) j << SHIFT0);
                if (start > t) {
                    return;
                }
                flushBucket(j);
                if (start > Long.MAX_VALUE - TICK) {
                    // the last tick of the time line: nothing can lie beyond it
                    flushed = Long.MAX_VALUE;
                    return;
                }
                moveTo(start + TICK);
                continue;
            }
            long next = -1;
            for (int level = 1; level < LEVELS; level++) {
                int s = shift(level);
                int idx = (int) (flushed >>> s) & (SLOTS - 1);
                long ml = idx == SLOTS - 1 ? 0 : occupied[level] & (-1L << (idx + 1));
                if (ml != 0) {
                    int j = Long.numberOfTrailingZeros(ml);
                    int above = s + BITS;
                    long base = above >= 63 ? 0 : flushed & ~((1L << above) - 1);
                    next = base | ((long) j << s);
                    break;
                }
            }
            if (next < 0 || next > t) {
                return;
            }
            moveTo(next);
        }
    }

    private void flushBucket(int idx0) {
        Timer n = heads[idx0];
        heads[idx0] = null;
        occupied[0] &= ~(1L << idx0);
        while (n != null) {
            Timer nx = n.next;
            n.prev = null;
            n.next = null;
            count--;
            sink.toQueue(n);
            n = nx;
        }
    }

    /** Advances F to a later tick boundary, cascading every bucket that F enters, top level first. */
    private void moveTo(long newFlushed) {
        flushed = newFlushed;
        for (int level = LEVELS - 1; level >= 1; level--) {
            int s = shift(level);
            if ((newFlushed & ((1L << s) - 1)) != 0) {
                continue;
            }
            int idx = (int) (newFlushed >>> s) & (SLOTS - 1);
            int b = level * SLOTS + idx;
            Timer n = heads[b];
            if (n == null) {
                continue;
            }
            heads[b] = null;
            occupied[level] &= ~(1L << idx);
            while (n != null) {
                Timer nx = n.next;
                count--;
                add(n);
                n = nx;
            }
        }
    }
}
