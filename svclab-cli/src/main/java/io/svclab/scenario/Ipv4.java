package io.svclab.scenario;

/** IPv4 addresses as {@code int}s (network byte order in the int's bits: {@code 10.0.0.1} = 0x0A000001). */
public final class Ipv4 {

    private Ipv4() {
    }

    /**
     * Parses a dotted quad: four decimal octets 0..255, no leading zeros.
     *
     * @throws IllegalArgumentException with a message for the user
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

    /** Formats an address as a dotted quad. */
    public static String format(int addr) {
        return (addr >>> 24) + "." + (addr >>> 16 & 0xff) + "." + (addr >>> 8 & 0xff) + "." + (addr & 0xff);
    }
}
