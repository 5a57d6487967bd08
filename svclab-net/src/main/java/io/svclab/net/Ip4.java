package io.svclab.net;

/** IPv4 addresses as {@code int}s (network order: 10.0.0.1 is 0x0a000001), parsing and formatting. */
public final class Ip4 {

    private Ip4() {
    }

    /**
     * Parses a dotted quad.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static int parse(String text) {
        String t = text == null ? "" : text.trim();
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4 || t.length() > 15) {
            throw new IllegalArgumentException("expected an IPv4 address like 10.96.0.10, got \"" + t + "\"");
        }
        int addr = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("expected an IPv4 address like 10.96.0.10, got \"" + t + "\"");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw new IllegalArgumentException("octet \"" + p + "\" has a leading zero in \"" + t + "\"");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("octet " + v + " is out of range 0..255 in \"" + t + "\"");
            }
            addr = addr << 8 | v;
        }
        return addr;
    }

    /** Formats as a dotted quad. */
    public static String format(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** The network mask of a prefix length (0..32). */
    public static int mask(int prefixLen) {
        return prefixLen == 0 ? 0 : -1 << (32 - prefixLen);
    }

    /** Whether {@code addr} is inside {@code prefix/len}. */
    public static boolean inPrefix(int addr, int prefix, int len) {
        int m = mask(len);
        return (addr & m) == (prefix & m);
    }

    /** Whether the address is in 127.0.0.0/8. */
    public static boolean isLoopback(int addr) {
        return (addr >>> 24) == 127;
    }

    /** {@code ip:port}. */
    public static String endpoint(int addr, int port) {
        return format(addr) + ":" + port;
    }
}
