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
        if (text == null) {
            throw new IllegalArgumentException("expected an IPv4 address, got nothing");
        }
        String t = text.trim();
        int value = 0;
        int octets = 0;
        int i = 0;
        int n = t.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9' && i - start < 3) {
                octet = octet * 10 + (t.charAt(i) - '0');
                i++;
            }
            if (i == start || octet > 255 || (i - start > 1 && t.charAt(start) == '0')) {
                throw bad(t);
            }
            value = (value << 8) | octet;
            octets++;
            if (i == n) {
                break;
            }
            if (t.charAt(i) != '.' || octets == 4) {
                throw bad(t);
            }
            i++;
        }
        if (octets != 4) {
            throw bad(t);
        }
        return value;
    }

    private static IllegalArgumentException bad(String t) {
        return new IllegalArgumentException("expected an IPv4 address like 10.96.0.10, got \"" + t + "\"");
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
