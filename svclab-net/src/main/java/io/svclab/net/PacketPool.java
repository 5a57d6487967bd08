package io.svclab.net;

import java.util.Arrays;

/**
 * Free list of {@link Packet}s for one run. Steady-state traffic reuses packets instead of
 * allocating; the pool grows to the largest number of packets in flight at once.
 */
public final class PacketPool {

    private Packet[] free = new Packet[256];
    private int size;
    private long allocated;

    /** A cleared packet. */
    public Packet acquire() {
        Packet p;
        if (size > 0) {
            p = free[--size];
            free[size] = null;
        } else {
            p = new Packet();
            allocated++;
        }
        p.pooled = false;
        return p.clear();
    }

    /** Returns a packet that nobody references any more. Releasing twice is an error. */
    public void release(Packet p) {
        if (p.pooled) {
            throw new IllegalStateException("packet released twice: " + p.describe());
        }
        p.pooled = true;
        p.nfct = null;
        p.inDev = null;
        p.outDev = null;
        if (size == free.length) {
            free = Arrays.copyOf(free, size << 1);
        }
        free[size++] = p;
    }

    /** Packets ever created (the pool's high-water mark). */
    public long allocated() {
        return allocated;
    }

    /** Packets currently in the free list. */
    public int available() {
        return size;
    }
}
