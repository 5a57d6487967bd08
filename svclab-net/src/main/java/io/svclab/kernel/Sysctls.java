package io.svclab.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The sysctl values of one network namespace. Reads are an array index ({@link #get(Sysctl)}), so
 * the datapath may consult a sysctl on every packet.
 */
public final class Sysctls {

    private final KernelProfile profile;
    private final long[] values;

    /** The kernel defaults of this profile. */
    public Sysctls(KernelProfile profile) {
        this.profile = profile;
        Sysctl[] all = Sysctl.values();
        this.values = new long[all.length];
        for (Sysctl s : all) {
            values[s.ordinal()] = s.defaultFor(profile);
        }
    }

    public KernelProfile profile() {
        return profile;
    }

    /** The value of an {@link Sysctl.Kind#INT} sysctl. */
    public int get(Sysctl s) {
        return (int) values[s.ordinal()];
    }

    /** The raw value: an int, or a pair packed by {@link #pair(int, int)}. */
    public long raw(Sysctl s) {
        return values[s.ordinal()];
    }

    /** Sets a value already checked by {@link Sysctl#parse(String, KernelProfile)}. */
    public void set(Sysctl s, long value) {
        if (!s.existsIn(profile)) {
            throw new IllegalArgumentException(s.key() + " does not exist on kernel " + profile.name());
        }
        values[s.ordinal()] = value;
    }

    /** The keys that exist on this kernel with their values, sorted by key. */
    public List<String[]> entries() {
        List<String[]> out = new ArrayList<>();
        for (Sysctl s : Sysctl.values()) {
            if (s.existsIn(profile)) {
                out.add(new String[] {s.key(), s.format(values[s.ordinal()])});
            }
        }
        out.sort((a, b) -> a[0].compareTo(b[0]));
        return out;
    }

    public static long pair(int low, int high) {
        return ((long) low << 32) | (high & 0xffffffffL);
    }

    public static int low(long pair) {
        return (int) (pair >>> 32);
    }

    public static int high(long pair) {
        return (int) pair;
    }
}
