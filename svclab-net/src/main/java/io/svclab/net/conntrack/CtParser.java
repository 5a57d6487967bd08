package io.svclab.net.conntrack;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines {@link CtFormat} writes, from real dumps: {@code /proc/net/nf_conntrack},
 * {@code conntrack -L} (plain, {@code -o id}, {@code -o extended}) and {@code conntrack -E}
 * events (with or without {@code -o timestamp}). Never throws on bad input: errors are reported
 * as {@code line N: ...}.
 */
public final class CtParser {

    /**
     * What a parse produced.
     *
     * @param entries the lines that parsed, in input order
     * @param errors one {@code line N: message} per line that did not
     */
    public record Result(List<CtLine> entries, List<String> errors) {

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private CtParser() {
    }

    /** Parses every non-blank line of a text. */
    public static Result parse(String text) {
        List<CtLine> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank()) {
                continue;
            }
            CtLine c = parseLine(l, i + 1, errors);
            if (c != null) {
                out.add(c);
            }
        }
        return new Result(out, errors);
    }

    /** Parses one line; on error adds {@code line N: ...} to {@code errors} and returns null. */
    public static CtLine parseLine(String line, int lineNo, List<String> errors) {
        try {
            return doParse(line);
        } catch (BadLine e) {
            errors.add("line " + lineNo + ": " + e.getMessage());
            return null;
        }
    }

    private static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(String m) {
            super(m, null, false, false);
        }
    }

    private static CtLine doParse(String line) throws BadLine {
        String s = line;
        String timestamp = null;
        String event = null;
        if (s.startsWith("[") && s.indexOf("]\t") > 0 && Character.isDigit(s.charAt(1))) {
            int e = s.indexOf("]\t");
            timestamp = s.substring(1, e);
            s = s.substring(e + 2);
        }
        String[] tok = s.trim().split(" +");
        int i = 0;
        if (tok.length > 0 && tok[0].length() >= 2 && tok[0].startsWith("[") && tok[0].endsWith("]")) {
            event = tok[0].substring(1, tok[0].length() - 1);
            if (!event.equals("NEW") && !event.equals("UPDATE") && !event.equals("DESTROY")) {
                throw new BadLine("unknown event type \"" + tok[0] + "\"");
            }
            i++;
        }
        String l3name = null;
        int l3num = 2;
        if (i < tok.length && (tok[i].equals("ipv4") || tok[i].equals("ipv6"))) {
            l3name = tok[i++];
            l3num = (int) num(tok, i++, "L3 protocol number");
        }
        if (i >= tok.length) {
            throw new BadLine("missing L4 protocol name");
        }
        String l4name = tok[i++];
        int l4num = (int) num(tok, i++, "L4 protocol number");
        Long timeout = null;
        if (i < tok.length && isDigits(tok[i])) {
            timeout = num(tok, i++, "the timeout in seconds");
        }
        String state = null;
        if (i < tok.length && !tok[i].contains("=") && !tok[i].startsWith("[")) {
            state = tok[i++];
            if (l4num == 6 && TcpConntrackTable.byName(state) < 0) {
                throw new BadLine("unknown TCP state \"" + state + "\"");
            }
        }
        int[] pos = {i};
        CtLine.Tuple orig = tuple(tok, pos, "original");
        Long zoneOrig = optional(tok, pos, "zone-orig");
        Long op = null;
        Long ob = null;
        if (pos[0] < tok.length && tok[pos[0]].startsWith("packets=")) {
            op = optional(tok, pos, "packets");
            ob = required(tok, pos, "bytes");
        }
        boolean unreplied = false;
        if (pos[0] < tok.length && tok[pos[0]].equals("[UNREPLIED]")) {
            unreplied = true;
            pos[0]++;
        }
        CtLine.Tuple reply = tuple(tok, pos, "reply");
        Long zoneReply = optional(tok, pos, "zone-reply");
        Long rp = null;
        Long rb = null;
        if (pos[0] < tok.length && tok[pos[0]].startsWith("packets=")) {
            rp = optional(tok, pos, "packets");
            rb = required(tok, pos, "bytes");
        }
        String flag = null;
        if (pos[0] < tok.length && tok[pos[0]].startsWith("[")) {
            String f = tok[pos[0]];
            flag = f.length() >= 2 ? f.substring(1, f.length() - 1) : "";
            if (!f.endsWith("]") || !(flag.equals("ASSURED") || flag.equals("OFFLOAD") || flag.equals("HW_OFFLOAD"))) {
                throw new BadLine("unexpected \"" + f + "\"");
            }
            pos[0]++;
        }
        Long mark = optional(tok, pos, "mark");
        String secctx = null;
        if (pos[0] < tok.length && tok[pos[0]].startsWith("secctx=")) {
            secctx = tok[pos[0]++].substring(7);
        }
        Long zone = optional(tok, pos, "zone");
        Long delta = optional(tok, pos, "delta-time");
        Long use = optional(tok, pos, "use");
        Long id = optional(tok, pos, "id");
        Long portid = null;
        if (pos[0] < tok.length && tok[pos[0]].equals("[USERSPACE]")) {
            pos[0]++;
            portid = required(tok, pos, "portid");
        }
        if (pos[0] < tok.length) {
            throw new BadLine("unexpected \"" + tok[pos[0]] + "\"");
        }
        return new CtLine(timestamp, event, l3name, l3num, l4name, l4num, timeout, state, orig, zoneOrig, op, ob,
                unreplied, reply, zoneReply, rp, rb, flag, mark, secctx, zone, delta, use, id, portid);
    }

    private static boolean isDigits(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int k = 0; k < t.length(); k++) {
            if (t.charAt(k) < '0' || t.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long num(String[] tok, int i, String what) throws BadLine {
        if (i >= tok.length || !isDigits(tok[i]) || tok[i].length() > 18) {
            throw new BadLine("expected " + what + (i < tok.length ? ", got \"" + tok[i] + "\"" : ", got end of line"));
        }
        return Long.parseLong(tok[i]);
    }

    private static Long optional(String[] tok, int[] pos, String key) throws BadLine {
        if (pos[0] < tok.length && tok[pos[0]].startsWith(key + "=")) {
            return value(tok[pos[0]++], key);
        }
        return null;
    }

    private static long required(String[] tok, int[] pos, String key) throws BadLine {
        if (pos[0] >= tok.length || !tok[pos[0]].startsWith(key + "=")) {
            throw new BadLine("expected " + key + "=N" + (pos[0] < tok.length ? ", got \"" + tok[pos[0]] + "\"" : ", got end of line"));
        }
        return value(tok[pos[0]++], key);
    }

    private static long value(String t, String key) throws BadLine {
        String v = t.substring(key.length() + 1);
        if (!isDigits(v) || v.length() > 18) {
            throw new BadLine("expected a number in \"" + t + "\"");
        }
        return Long.parseLong(v);
    }

    private static String text(String[] tok, int[] pos, String key, String which) throws BadLine {
        if (pos[0] >= tok.length || !tok[pos[0]].startsWith(key + "=")) {
            throw new BadLine("expected " + key + "= of the " + which + " tuple"
                    + (pos[0] < tok.length ? ", got \"" + tok[pos[0]] + "\"" : ", got end of line"));
        }
        return tok[pos[0]++].substring(key.length() + 1);
    }

    private static CtLine.Tuple tuple(String[] tok, int[] pos, String which) throws BadLine {
        String src = text(tok, pos, "src", which);
        String dst = text(tok, pos, "dst", which);
        if (pos[0] < tok.length && tok[pos[0]].startsWith("sport=")) {
            long sp = required(tok, pos, "sport");
            long dp = required(tok, pos, "dport");
            if (sp > 65535 || dp > 65535) {
                throw new BadLine("port out of range in the " + which + " tuple");
            }
            return CtLine.Tuple.ports(src, dst, (int) sp, (int) dp);
        }
        if (pos[0] < tok.length && tok[pos[0]].startsWith("type=")) {
            long type = required(tok, pos, "type");
            long code = required(tok, pos, "code");
            long id = required(tok, pos, "id");
            if (type > 255 || code > 255 || id > 65535) {
                throw new BadLine("ICMP type, code or id out of range in the " + which + " tuple");
            }
            return new CtLine.Tuple(src, dst, -1, -1, (int) type, (int) code, (int) id);
        }
        return new CtLine.Tuple(src, dst, -1, -1, -1, -1, -1);
    }
}
