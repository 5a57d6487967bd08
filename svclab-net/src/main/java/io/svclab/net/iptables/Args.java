package io.svclab.net.iptables;

import java.util.ArrayList;
import java.util.List;

/** The words of one restore line, split like iptables-restore's {@code add_param_to_argv}. */
final class Args {

    final int line;
    private final List<String> words;
    private int pos;

    private Args(int line, List<String> words) {
        this.line = line;
        this.words = words;
    }

    /**
     * Splits on blanks; double quotes group words and are removed, a backslash inside quotes
     * escapes the next character.
     */
    static Args split(int line, String text) throws IptablesRestoreException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuote = false;
        boolean have = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inQuote) {
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == '"') {
                    inQuote = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                inQuote = true;
                have = true;
            } else if (c == ' ' || c == '\t') {
                if (have) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    have = false;
                }
            } else {
                cur.append(c);
                have = true;
            }
        }
        if (inQuote) {
            throw new IptablesRestoreException(line, "unterminated quoted string");
        }
        if (have) {
            out.add(cur.toString());
        }
        return new Args(line, out);
    }

    boolean hasNext() {
        return pos < words.size();
    }

    String peek() {
        return pos < words.size() ? words.get(pos) : null;
    }

    String next() {
        return words.get(pos++);
    }

    /** The value of an option, or an error naming the option. */
    String value(String option) throws IptablesRestoreException {
        if (pos >= words.size()) {
            throw error("option \"" + option + "\" requires a value");
        }
        return words.get(pos++);
    }

    IptablesRestoreException error(String problem) {
        return new IptablesRestoreException(line, problem);
    }

    /** Parses an unsigned decimal int within bounds. */
    long number(String option, String text, long min, long max) throws IptablesRestoreException {
        if (text.isEmpty() || text.length() > 10) {
            throw error("invalid value \"" + text + "\" for " + option);
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw error("invalid value \"" + text + "\" for " + option);
            }
            v = v * 10 + (c - '0');
        }
        if (v < min || v > max) {
            throw error("value " + text + " for " + option + " is out of range " + min + ".." + max);
        }
        return v;
    }

    /** Parses a 32-bit unsigned value, decimal or 0x-hex, as iptables' {@code xtables_strtoui}. */
    int u32(String option, String text) throws IptablesRestoreException {
        String t = text;
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
            radix = 16;
        }
        if (t.isEmpty() || t.length() > (radix == 16 ? 8 : 10)) {
            throw error("invalid value \"" + text + "\" for " + option);
        }
        long v = 0;
        for (int i = 0; i < t.length(); i++) {
            int d = Character.digit(t.charAt(i), radix);
            if (d < 0) {
                throw error("invalid value \"" + text + "\" for " + option);
            }
            v = v * radix + d;
        }
        if (v > 0xFFFFFFFFL) {
            throw error("value " + text + " for " + option + " is out of range");
        }
        return (int) v;
    }

    /** Parses {@code a.b.c.d[/len]} into {addr, len}. */
    int[] prefix(String option, String text) throws IptablesRestoreException {
        int slash = text.indexOf('/');
        String a = slash < 0 ? text : text.substring(0, slash);
        int len = slash < 0 ? 32 : (int) number(option, text.substring(slash + 1), 0, 32);
        return new int[] {address(option, a), len};
    }

    /** Parses a dotted quad (host names are not resolved). */
    int address(String option, String text) throws IptablesRestoreException {
        try {
            return io.svclab.net.Ip4.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("bad address \"" + text + "\" for " + option + ": " + e.getMessage());
        }
    }
}
