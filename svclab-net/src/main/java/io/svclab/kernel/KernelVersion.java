package io.svclab.kernel;

/**
 * A Linux kernel release number: {@code major.minor} (the first release of that line, X.Y.0,
 * before any stable backport) or {@code major.minor.patch} (a stable release).
 *
 * <p>Ordered numerically, so {@code 5.10.251 > 5.10 > 5.9.16}.
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

    public KernelVersion {
        if (major < 2 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("not a kernel version: " + major + "." + minor + "." + patch);
        }
    }

    public static KernelVersion of(int major, int minor) {
        return new KernelVersion(major, minor, 0);
    }

    /**
     * Parses {@code X.Y} or {@code X.Y.Z}; returns {@code null} when the text is not of that shape.
     */
    public static KernelVersion parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            return null;
        }
        int[] v = new int[3];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 6 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            for (int k = 0; k < p.length(); k++) {
                if (p.charAt(k) < '0' || p.charAt(k) > '9') {
                    return null;
                }
            }
            v[i] = Integer.parseInt(p);
        }
        if (v[0] < 2) {
            return null;
        }
        return new KernelVersion(v[0], v[1], v[2]);
    }

    /** The stable line this release belongs to, e.g. 5.10 for 5.10.251. */
    public KernelVersion line() {
        return patch == 0 ? this : new KernelVersion(major, minor, 0);
    }

    public boolean sameLine(KernelVersion other) {
        return major == other.major && minor == other.minor;
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = Integer.compare(major, o.major);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(minor, o.minor);
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    public boolean atLeast(KernelVersion o) {
        return compareTo(o) >= 0;
    }

    @Override
    public String toString() {
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
