package io.svclab.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random numbers of one run: one seed, handed out as independent named streams.
 *
 * <p>A stream's seed is derived from the run's seed and the stream's name only, so adding a new
 * consumer of randomness (a new stream name) does not change the numbers any other stream draws,
 * and the numbers do not depend on the order in which components ask for their streams. The same
 * name returns the same generator within a run.
 */
public final class RngStreams {

    private final long seed;
    private final Map<String, SplittableRandom> streams = new HashMap<>();

    public RngStreams(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The stream of this name, e.g. {@code "client/caller-0/arrivals"}. */
    public SplittableRandom stream(String name) {
        return streams.computeIfAbsent(name, n -> new SplittableRandom(mix64(seed ^ mix64(fnv1a64(n)))));
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser (as in SplittableRandom). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
