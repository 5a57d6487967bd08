package io.svclab.sim;

import java.util.Arrays;

/**
 * The pending events, a 4-ary min-heap over primitive arrays (no node objects), ordered
 * totally by (time, priority, sequence). The sequence number is handed out per queue, so the order
 * of equal-time, equal-priority events is the order in which they were scheduled, and two runs
 * that schedule the same events in the same order pop them in the same order.
 *
 * <p>The priority and the sequence share one {@code long} key: priority in the top
 * {@value Priority#BITS} bits below the sign bit, sequence in the low 48 bits (2.8e14 events per
 * run).
 */
final class EventQueue {

    private static final int SEQ_BITS = 48;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

    /** Entry i's time at [2i], its (priority, sequence) key at [2i+1]: one cache line holds both. */
    private long[] tk = new long[2 * 1024];
    private Action[] actions = new Action[1024];
    private int size;
    private long nextSeq = 1;

    /** Adds an event and returns its sequence number (unique within this queue, never 0). */
    long push(long time, int priority, Action action) {
        checkPriority(priority);
        long seq = reserveSeq();
        push(time, priority, seq, action);
        return seq;
    }

    /**
     * Hands out the next sequence number without adding an entry, for an entry added later with
     * {@link #push(long, int, long, Action)} (a timer takes its place in the order when it is
     * armed, not when it leaves the timer wheel).
     */
    long reserveSeq() {
        long seq = nextSeq++;
        if (seq > SEQ_MASK) {
            throw new IllegalStateException("event sequence exhausted");
        }
        return seq;
    }

    static void checkPriority(int priority) {
        if (priority < 0 || priority > Priority.MAX) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
    }

    /** Adds an event under a sequence number from {@link #reserveSeq()}. */
    void push(long time, int priority, long seq, Action action) {
        checkPriority(priority);
        if (size == actions.length) {
            int n = size << 1;
            tk = Arrays.copyOf(tk, 2 * n);
            actions = Arrays.copyOf(actions, n);
        }
        long key = ((long) priority << SEQ_BITS) | seq;
        siftUp(size++, time, key, action);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Time of the head, or {@link Long#MAX_VALUE} when empty. */
    long peekTime() {
        return size == 0 ? Long.MAX_VALUE : tk[0];
    }

    long headTime() {
        return tk[0];
    }

    int headPriority() {
        return (int) (tk[1] >>> SEQ_BITS);
    }

    long headSeq() {
        return tk[1] & SEQ_MASK;
    }

    Action headAction() {
        return actions[0];
    }

    /** Removes the head. */
    void pop() {
        int last = --size;
        long t = tk[2 * last];
        long k = tk[2 * last + 1];
        Action a = actions[last];
        actions[last] = null;
        if (last > 0) {
            siftDown(0, t, k, a);
        }
    }

    private static boolean less(long t1, long k1, long t2, long k2) {
        return t1 < t2 || (t1 == t2 && k1 < k2);
    }

    private void siftUp(int i, long t, long k, Action a) {
        long[] h = tk;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = h[2 * parent];
            long pk = h[2 * parent + 1];
            if (!less(t, k, pt, pk)) {
                break;
            }
            h[2 * i] = pt;
            h[2 * i + 1] = pk;
            actions[i] = actions[parent];
            i = parent;
        }
        h[2 * i] = t;
        h[2 * i + 1] = k;
        actions[i] = a;
    }

    private void siftDown(int i, long t, long k, Action a) {
        long[] h = tk;
        int n = size;
        while (true) {
            int c = (i << 2) + 1;
            if (c >= n) {
                break;
            }
            int end = Math.min(c + 4, n);
            int m = c;
            long mt = h[2 * c];
            long mk = h[2 * c + 1];
            for (int j = c + 1; j < end; j++) {
                long jt = h[2 * j];
                long jk = h[2 * j + 1];
                if (less(jt, jk, mt, mk)) {
                    m = j;
                    mt = jt;
                    mk = jk;
                }
            }
            if (!less(mt, mk, t, k)) {
                break;
            }
            h[2 * i] = mt;
            h[2 * i + 1] = mk;
            actions[i] = actions[m];
            i = m;
        }
        h[2 * i] = t;
        h[2 * i + 1] = k;
        actions[i] = a;
    }
}
