package io.svclab.scenario;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the scenario file writes them: a number with a unit {@code ns}, {@code us},
 * {@code ms}, {@code s}, {@code m} or {@code h} ({@code 200ms}, {@code 1.5s}, {@code 5m}), several
 * such parts in a row ({@code 1m30s}), or the bare {@code 0}. Values are whole nanoseconds.
 */
public final class Durations {

    /** The wording used in error messages. */
    public static final String EXPECTED = "expected a duration like 200ms, 3s, 5m";

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final String[] UNITS = {"h", "m", "s", "ms", "us", "ns"};
    private static final long[] UNIT_NS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @return nanoseconds, never negative
     * @throws IllegalArgumentException with a message for the user when the text is not a
     *     duration, is finer than a nanosecond, or does not fit in 64 bits
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("0")) {
            return 0;
        }
        if (t.isEmpty() || t.length() > 64) {
            throw new IllegalArgumentException(EXPECTED + ", got \"" + t + "\"");
        }
        if (t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(EXPECTED + ", got " + t + " without a unit");
        }
        Matcher m = PART.matcher(t);
        BigDecimal total = BigDecimal.ZERO;
        int at = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(EXPECTED + ", got \"" + t + "\"");
            }
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNs(m.group(2)))));
            at = m.end();
        }
        BigInteger ns;
        try {
            ns = total.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration \"" + t + "\" is finer than one nanosecond");
        }
        if (ns.compareTo(LONG_MAX) > 0) {
            throw new IllegalArgumentException("duration \"" + t + "\" is too long");
        }
        return ns.longValueExact();
    }

    /**
     * Formats nanoseconds in the shortest exact form ({@code 200ms}, {@code 3s}, {@code 90s},
     * {@code 1.5s}, {@code 0s}), never below one unit ({@code 200ms}, not
     * {@code 0.2s}); on a tie the larger unit wins.
     */
    public static String format(long ns) {
        if (ns == 0) {
            return "0s";
        }
        String best = null;
        for (int i = 0; i < UNITS.length; i++) {
            if (Math.abs(ns) < UNIT_NS[i]) {
                continue;
            }
            String s;
            try {
                s = new BigDecimal(ns).divide(BigDecimal.valueOf(UNIT_NS[i])).stripTrailingZeros().toPlainString() + UNITS[i];
            } catch (ArithmeticException e) {
                continue;
            }
            if (best == null || s.length() < best.length()) {
                best = s;
            }
        }
        return best;
    }

    private static long unitNs(String unit) {
        switch (unit) {
            case "h":
                return UNIT_NS[0];
            case "m":
                return UNIT_NS[1];
            case "s":
                return UNIT_NS[2];
            case "ms":
                return UNIT_NS[3];
            case "us":
            case "µs":
                return UNIT_NS[4];
            default:
                return UNIT_NS[5];
        }
    }
}
