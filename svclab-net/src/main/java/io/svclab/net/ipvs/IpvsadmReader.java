package io.svclab.net.ipvs;

import io.svclab.net.Ip4;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads real tool output back into records: {@code ipvsadm -Ln} (plain, {@code --stats},
 * {@code --rate}), {@code /proc/net/ip_vs}, {@code ipvsadm -Lnc} and {@code /proc/net/ip_vs_conn}.
 * Never throws for any input: every line it cannot read is reported as
 * {@code line N: what was expected} in {@link Parsed#errors()}, and the rest is still read.
 */
public final class IpvsadmReader {

    /**
     * A real server line of {@code ipvsadm -Ln} or {@code /proc/net/ip_vs}. With {@code --stats} or
     * {@code --rate} the forwarding method is "" and weight and counters are -1 (not printed).
     */
    public record DestRecord(int addr, int port, String forward, int weight, long activeConns, long inactConns) {
    }

    /**
     * A service line of {@code ipvsadm -Ln} with its real servers.
     *
     * @param proto TCP, UDP, SCTP or FWM (then addr is the mark and port 0)
     * @param scheduler the scheduler, or "" with {@code --stats}/{@code --rate}
     * @param line the service line's number (1-based)
     * @param destLines the number of each real server's line, parallel to {@code dests}
     */
    public record ServiceRecord(String proto, int addr, int port, String scheduler, String flags,
                                int persistent, List<DestRecord> dests, int line, List<Integer> destLines) {

        public ServiceRecord {
            dests = List.copyOf(dests);
            destLines = List.copyOf(destLines);
        }
    }

    /** One connection entry ({@code -Lnc} or {@code /proc/net/ip_vs_conn}). */
    public record ConnRecord(String proto, long expiresSeconds, String state, int caddr, int cport, int vaddr,
                             int vport, int daddr, int dport) {
    }

    /**
     * What was read.
     *
     * @param records the records, in input order
     * @param lines the 1-based line number of each record, parallel to {@code records}
     * @param errors {@code line N: message} for each line that could not be read
     */
    public record Parsed<T>(List<T> records, List<Integer> lines, List<String> errors) {

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** A line that does not read; the message says what was expected. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String m) {
            super(m, null, false, false);
        }
    }

    private enum ListMode { PLAIN, STATS, RATE }

    private static final String[] PROTOS = {"TCP", "UDP", "SCTP"};

    private IpvsadmReader() {
    }

    private static String[] lines(String text) {
        String[] l = (text == null ? "" : text).split("\n", -1);
        for (int i = 0; i < l.length; i++) {
            if (l[i].endsWith("\r")) {
                l[i] = l[i].substring(0, l[i].length() - 1);
            }
        }
        return l;
    }

    /**
     * Parses {@code ipvsadm -Ln}, {@code ipvsadm -Ln --stats}, {@code ipvsadm -Ln --rate} or
     * {@code /proc/net/ip_vs} (addresses in hexadecimal); the column header selects the form.
     */
    public static Parsed<ServiceRecord> readList(String text) {
        List<ServiceRecord> out = new ArrayList<>();
        List<Integer> outLines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = lines(text);
        ListMode mode = ListMode.PLAIN;
        ServiceRecord cur = null;
        boolean inService = false;
        List<DestRecord> dests = new ArrayList<>();
        List<Integer> destLines = new ArrayList<>();
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int no = n + 1;
            if (line.isBlank() || line.startsWith("IP Virtual Server version")) {
                continue;
            }
            if (line.startsWith("Prot LocalAddress:Port")) {
                mode = line.contains("Conns") ? ListMode.STATS : line.contains("CPS") ? ListMode.RATE : ListMode.PLAIN;
                continue;
            }
            if (line.startsWith("  -> RemoteAddress:Port")) {
                continue;
            }
            try {
                if (line.startsWith("  -> ")) {
                    if (!inService) {
                        throw new Bad("expected a service line (PROTO ADDRESS:PORT SCHEDULER) before the real servers");
                    }
                    DestRecord d = dest(line.substring(5).trim().split("\\s+"), mode);
                    if (cur != null) {
                        dests.add(d);
                        destLines.add(no);
                    }
                    continue;
                }
                if (cur != null) {
                    out.add(withDests(cur, dests, destLines));
                    outLines.add(cur.line());
                }
                cur = null;
                inService = true;
                dests = new ArrayList<>();
                destLines = new ArrayList<>();
                cur = service(line.trim().split("\\s+"), mode, no);
            } catch (Bad e) {
                errors.add("line " + no + ": " + e.getMessage());
            }
        }
        if (cur != null) {
            out.add(withDests(cur, dests, destLines));
            outLines.add(cur.line());
        }
        return new Parsed<>(out, outLines, errors);
    }

    private static ServiceRecord withDests(ServiceRecord s, List<DestRecord> dests, List<Integer> destLines) {
        return new ServiceRecord(s.proto(), s.addr(), s.port(), s.scheduler(), s.flags(), s.persistent(), dests,
                s.line(), destLines);
    }

    private static ServiceRecord service(String[] f, ListMode mode, int line) throws Bad {
        List<DestRecord> dests = List.of();
        List<Integer> destLines = List.of();
        boolean fwm = f.length > 0 && f[0].equals("FWM");
        if (f.length < 2 || !(fwm || isProto(f[0]))) {
            throw new Bad("expected a service line: TCP, UDP, SCTP or FWM, then ADDRESS:PORT");
        }
        int addr;
        int port;
        if (fwm) {
            addr = (int) number(f[1], 0xffffffffL, "a firewall mark");
            port = 0;
        } else {
            int[] ep = endpoint(f[1]);
            addr = ep[0];
            port = ep[1];
        }
        if (mode != ListMode.PLAIN) {
            if (f.length != 7) {
                throw new Bad("expected PROTO ADDRESS:PORT and five " + (mode == ListMode.STATS ? "counters" : "rates"));
            }
            for (int i = 2; i < 7; i++) {
                largenum(f[i]);
            }
            return new ServiceRecord(f[0], addr, port, "", "", 0, dests, line, destLines);
        }
        if (f.length < 3 || !f[2].matches("[a-z]{1,16}")) {
            throw new Bad("expected PROTO ADDRESS:PORT SCHEDULER [FLAGS]");
        }
        String flags = "";
        int persistent = 0;
        for (int i = 3; i < f.length; i++) {
            String t = f[i];
            if (t.startsWith("(") && t.endsWith(")") && t.length() > 2) {
                flags = t.substring(1, t.length() - 1);
            } else if (t.equals("persistent") && i + 1 < f.length) {
                long p = number(f[++i], 0xffffffffL, "a persistence timeout");
                if (isHex(f[1])) {
                    p /= Ipvs.HZ; // /proc/net/ip_vs: jiffies, then the netmask in hexadecimal
                    if (i + 1 < f.length && isHexWord(f[i + 1])) {
                        i++;
                    }
                }
                persistent = (int) p;
            } else if (t.equals("mask") && i + 1 < f.length) {
                parseAddr(f[++i]);
            } else if (t.equals("pe") && i + 1 < f.length) {
                i++;
            } else if (!t.equals("ops")) {
                throw new Bad("expected service flags (persistent N, mask M, ops, pe NAME, (FLAGS)), got \"" + t + "\"");
            }
        }
        return new ServiceRecord(f[0], addr, port, f[2], flags, persistent, dests, line, destLines);
    }

    private static DestRecord dest(String[] f, ListMode mode) throws Bad {
        if (mode != ListMode.PLAIN) {
            if (f.length != 6) {
                throw new Bad("expected -> ADDRESS:PORT and five " + (mode == ListMode.STATS ? "counters" : "rates"));
            }
            int[] ep = endpoint(f[0]);
            for (int i = 1; i < 6; i++) {
                largenum(f[i]);
            }
            return new DestRecord(ep[0], ep[1], "", -1, -1, -1);
        }
        if (f.length != 5) {
            throw new Bad("expected -> ADDRESS:PORT FORWARD WEIGHT ACTIVECONN INACTCONN");
        }
        int[] ep = endpoint(f[0]);
        if (!(f[1].equals("Masq") || f[1].equals("Local") || f[1].equals("Tunnel") || f[1].equals("Route"))) {
            throw new Bad("expected the forwarding method Masq, Local, Tunnel or Route, got \"" + f[1] + "\"");
        }
        int weight = (int) number(f[2], 65535, "a weight");
        return new DestRecord(ep[0], ep[1], f[1], weight, number(f[3], 0xffffffffL, "ActiveConn"),
                number(f[4], 0xffffffffL, "InActConn"));
    }

    /** Parses {@code ipvsadm -Lnc} output. */
    public static Parsed<ConnRecord> readConnections(String text) {
        List<ConnRecord> out = new ArrayList<>();
        List<Integer> outLines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = lines(text);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank() || line.startsWith("IPVS connection entries") || line.startsWith("pro expire")) {
                continue;
            }
            try {
                out.add(connLine(line));
                outLines.add(n + 1);
            } catch (Bad e) {
                errors.add("line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed<>(out, outLines, errors);
    }

    private static ConnRecord connLine(String line) throws Bad {
        String[] f = line.trim().split("\\s+");
        if (f.length != 6) {
            throw new Bad("expected 6 fields: PRO EXPIRE STATE SOURCE VIRTUAL DESTINATION");
        }
        checkConnProto(f[0]);
        int colon = f[1].indexOf(':');
        if (colon < 1 || colon != f[1].lastIndexOf(':') || colon == f[1].length() - 1) {
            throw new Bad("expected the expiry as MM:SS, got \"" + f[1] + "\"");
        }
        long mm = number(f[1].substring(0, colon), 99_999_999L, "minutes");
        long ss = number(f[1].substring(colon + 1), 59, "seconds");
        checkState(f[2]);
        int[] c = endpoint(f[3]);
        int[] v = endpoint(f[4]);
        int[] d = endpoint(f[5]);
        return new ConnRecord(f[0], mm * 60 + ss, f[2], c[0], c[1], v[0], v[1], d[0], d[1]);
    }

    /** Parses {@code /proc/net/ip_vs_conn}. */
    public static Parsed<ConnRecord> readProcConnections(String text) {
        List<ConnRecord> out = new ArrayList<>();
        List<Integer> outLines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = lines(text);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank() || line.startsWith("Pro FromIP")) {
                continue;
            }
            try {
                String[] f = line.trim().split("\\s+");
                if (f.length < 9 || f.length > 11) {
                    throw new Bad("expected PRO FROMIP FPRT TOIP TPRT DESTIP DPRT STATE EXPIRES [PENAME PEDATA]");
                }
                checkConnProto(f[0]);
                checkState(f[7]);
                out.add(new ConnRecord(f[0], number(f[8], 0xffffffffL, "the expiry in seconds"), f[7], hexAddr(f[1]),
                        hexPort(f[2]), hexAddr(f[3]), hexPort(f[4]), hexAddr(f[5]), hexPort(f[6])));
                outLines.add(n + 1);
            } catch (Bad e) {
                errors.add("line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed<>(out, outLines, errors);
    }

    /** Whether a connection listing is {@code /proc/net/ip_vs_conn} rather than {@code ipvsadm -Lnc}. */
    public static boolean looksLikeProcConnections(String text) {
        for (String l : lines(text)) {
            if (l.isBlank()) {
                continue;
            }
            if (l.startsWith("Pro FromIP")) {
                return true;
            }
            if (l.startsWith("IPVS connection entries") || l.startsWith("pro expire")) {
                return false;
            }
            String[] f = l.trim().split("\\s+");
            return f.length >= 9 && f[1].length() == 8 && isHexWord(f[1]);
        }
        return false;
    }

    private static boolean isProto(String s) {
        for (String p : PROTOS) {
            if (p.equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static void checkConnProto(String s) throws Bad {
        if (!isProto(s) && !s.equals("IP")) {
            throw new Bad("expected the protocol TCP, UDP, SCTP or IP, got \"" + s + "\"");
        }
    }

    private static void checkState(String s) throws Bad {
        if (!s.matches("[A-Z][A-Z_]{1,15}")) {
            throw new Bad("expected a connection state such as TIME_WAIT, got \"" + s + "\"");
        }
    }

    private static boolean isHexWord(String s) {
        if (s.isEmpty() || s.length() > 8) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String endpoint) {
        return endpoint.indexOf('.') < 0;
    }

    private static long number(String s, long max, String what) throws Bad {
        if (s.isEmpty() || s.length() > 10) {
            throw new Bad("expected " + what + ", got \"" + s + "\"");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new Bad("expected " + what + ", got \"" + s + "\"");
            }
        }
        long v = Long.parseLong(s);
        if (v > max) {
            throw new Bad("expected " + what + " up to " + max + ", got \"" + s + "\"");
        }
        return v;
    }

    /** A number as {@code print_largenum} prints it: digits with an optional K, M, G or T. */
    private static void largenum(String s) throws Bad {
        String d = s;
        if (!s.isEmpty() && "KMGT".indexOf(s.charAt(s.length() - 1)) >= 0) {
            d = s.substring(0, s.length() - 1);
        }
        number(d, 9_999_999_999L, "a counter");
    }

    private static int parseAddr(String s) throws Bad {
        try {
            return Ip4.parse(s);
        } catch (IllegalArgumentException e) {
            throw new Bad(e.getMessage());
        }
    }

    private static int hexAddr(String s) throws Bad {
        if (s.length() != 8 || !isHexWord(s)) {
            throw new Bad("expected an address as 8 hexadecimal digits, got \"" + s + "\"");
        }
        return (int) Long.parseLong(s, 16);
    }

    private static int hexPort(String s) throws Bad {
        if (s.length() != 4 || !isHexWord(s)) {
            throw new Bad("expected a port as 4 hexadecimal digits, got \"" + s + "\"");
        }
        return Integer.parseInt(s, 16);
    }

    /** ADDRESS:PORT, dotted ({@code ipvsadm}) or hexadecimal ({@code /proc/net/ip_vs}). */
    private static int[] endpoint(String s) throws Bad {
        int c = s.lastIndexOf(':');
        if (c < 1 || c == s.length() - 1) {
            throw new Bad("expected ADDRESS:PORT, got \"" + s + "\"");
        }
        String a = s.substring(0, c);
        String p = s.substring(c + 1);
        if (a.startsWith("[")) {
            throw new Bad("expected an IPv4 ADDRESS:PORT (IPv6 is not modelled), got \"" + s + "\"");
        }
        if (isHex(a)) {
            return new int[] {hexAddr(a), hexPort(p)};
        }
        return new int[] {parseAddr(a), (int) number(p, 65535, "a port (0..65535) in \"" + s + "\"")};
    }
}
