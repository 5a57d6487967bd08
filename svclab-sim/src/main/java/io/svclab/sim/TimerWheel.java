package io.svclab.sim;

/**
 * A hierarchical timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels", 1987)
 * holding the timers whose deadlines are not yet near. It does not fire timers itself: when the
 * run loop is about to execute an event at time t, {@link #advance(long)} moves every timer with a
 * deadline at or before t into the event queue at its exact deadline. The wheel therefore changes
 * only the cost of timers, never when they fire, and the event order stays total and
 * deterministic.
 *
 * <p>Layout: {@value #LEVELS} levels of 256 buckets. A level-0 bucket spans one tick of 2^{@value
 * #SHIFT0} ns (about 16.8 ms), so level 0 covers 4.3 s; each level above spans 256 times more
 * (level 1 buckets of 4.3 s cover 18 min). The width is chosen for the model's timers: TCP
 * retransmissions and application timeouts of a few seconds go straight to level 0, and the
 * 60-120 s conntrack and IPVS timeouts to level 1, so they cascade once (with 64 buckets per level
 * they cascaded twice). {@code flushed} (F) is the
 * first tick not yet moved to the queue: every timer in the wheel has a deadline at or after F.
 * A timer with deadline d goes to the lowest level L at which d and F agree on all bits above
 * level L's span, in the bucket of d's bits at that level, which is always F's bucket or a later
 * one. An occupancy bit mask per level (four 64-bit words) finds the next non-empty bucket in a
 * few word scans. When F enters a
 * new bucket of level L ≥ 1, that bucket's timers are re-placed at lower levels (cascading), top
 * level first.
 */
final class TimerWheel {

    static final int SHIFT0 = 24;
    static final int BITS = 8;
    static final int SLOTS = 1 << BITS;
    /** Enough levels for every non-negative deadline: 24 + 8 * 5 = 64 bits. */
    static final int LEVELS = 5;
    private static final int WORDS = SLOTS / 64;
    private static final long TICK = 1L << SHIFT0;

    private final Timer[] heads = new Timer[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS * WORDS];
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
        Timer h = heads[b];
        t.prev = null;
        t.next = h;
        if (h != null) {
            h.prev = t;
        }
        heads[b] = t;
        t.bucket = b;
        t.state = Timer.IN_WHEEL;
        occupied[b >>> 6] |= 1L << b;
        count++;
    }

    /**
     * The bucket ({@code level * 256 + index}) that {@link #add} would choose now for a deadline at
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
            occupied[b >>> 6] &= ~(1L << b);
        }
        count--;
    }

    /** Moves every timer with a deadline at or before {@code t} to the queue. */
    void advance(long t) {
        while (count > 0) {
            int idx0 = (int) (flushed >>> SHIFT0) & (SLOTS - 1);
            int j = nextOccupied(0, idx0);
            if (j >= 0) {
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
                int jl = idx == SLOTS - 1 ? -1 : nextOccupied(level, idx + 1);
                if (jl >= 0) {
                    int above = s + BITS;
                    long base = above >= 63 ? 0 : flushed & ~((1L << above) - 1);
                    next = base | ((long) jl << s);
                    break;
                }
            }
            if (next < 0 || next > t) {
                return;
            }
            moveTo(next);
        }
    }

    /** The first occupied bucket index at or after {@code from} (less than {@link #SLOTS}) of a level, or -1. */
    private int nextOccupied(int level, int from) {
        int base = level * WORDS;
        int w = from >>> 6;
        long m = occupied[base + w] & (-1L << from);
        while (true) {
            if (m != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(m);
            }
            if (++w == WORDS) {
                return -1;
            }
            m = occupied[base + w];
        }
    }

    private void flushBucket(int idx0) {
        Timer n = heads[idx0];
        heads[idx0] = null;
        occupied[idx0 >>> 6] &= ~(1L << idx0);
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
            occupied[b >>> 6] &= ~(1L << b);
            while (n != null) {
                Timer nx = n.next;
                count--;
                add(n);
                n = nx;
            }
        }
    }
}
