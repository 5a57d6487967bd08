package io.svclab.sim;

import java.util.Arrays;

/**
 * The pending events, a binary min-heap over parallel primitive arrays (no node objects), ordered
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

    private long[] times = new long[1024];
    private long[] keys = new long[1024];
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
        if (size == times.length) {
            int n = size << 1;
            times = Arrays.copyOf(times, n);
            keys = Arrays.copyOf(keys, n);
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
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    long headTime() {
        return times[0];
    }

    int headPriority() {
        return (int) (keys[0] >>> SEQ_BITS);
    }

    long headSeq() {
        return keys[0] & SEQ_MASK;
    }

    Action headAction() {
        return actions[0];
    }

    /** Removes the head. */
    void pop() {
        int last = --size;
        long t = times[last];
        long k = keys[last];
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
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(t, k, times[parent], keys[parent])) {
                break;
            }
            times[i] = times[parent];
            keys[i] = keys[parent];
            actions[i] = actions[parent];
            i = parent;
        }
        times[i] = t;
        keys[i] = k;
        actions[i] = a;
    }

    private void siftDown(int i, long t, long k, Action a) {
        int half = size >>> 1;
        while (i < half) {
            int c = (i << 1) + 1;
            int r = c + 1;
            if (r < size && less(times[r], keys[r], times[c], keys[c])) {
                c = r;
            }
            if (!less(times[c], keys[c], t, k)) {
                break;
            }
            times[i] = times[c];
            keys[i] = keys[c];
            actions[i] = actions[c];
            i = c;
        }
        times[i] = t;
        keys[i] = k;
        actions[i] = a;
    }
}
