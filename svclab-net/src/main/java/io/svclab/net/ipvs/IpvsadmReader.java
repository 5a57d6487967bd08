package io.svclab.net.ipvs;

import io.svclab.net.Ip4;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads real tool output back into records: {@code ipvsadm -Ln}, {@code ipvsadm -Lnc} and
 * {@code /proc/net/ip_vs_conn}. Never throws for bad input: every line it cannot read is reported
 * as {@code line N: ...} in {@link Parsed#errors()}, and the rest is still read.
 */
public final class IpvsadmReader {

    /** A real server line of {@code ipvsadm -Ln}. */
    public record DestRecord(int addr, int port, String forward, int weight, long activeConns, long inactConns) {
    }

    /** A service line of {@code ipvsadm -Ln} with its real servers. */
    public record ServiceRecord(String proto, int addr, int port, String scheduler, String flags,
                                int persistent, List<DestRecord> dests) {
    }

    /** One connection entry ({@code -Lnc} or {@code /proc/net/ip_vs_conn}). */
    public record ConnRecord(String proto, long expiresSeconds, String state, int caddr, int cport, int vaddr,
                             int vport, int daddr, int dport) {
    }

    /**
     * What was read.
     *
     * @param records the records, in input order
     * @param errors {@code line N: message} for each line that could not be read
     */
    public record Parsed<T>(List<T> records, List<String> errors) {
    }

    private IpvsadmReader() {
    }

    /** Parses {@code ipvsadm -Ln} output. */
    public static Parsed<ServiceRecord> readList(String text) {
        List<ServiceRecord> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String proto = null;
        int addr = 0;
        int port = 0;
        String sched = null;
        String flags = "";
        int persistent = 0;
        List<DestRecord> dests = null;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int no = n + 1;
            if (line.isEmpty() || line.startsWith("IP Virtual Server version") || line.startsWith("Prot LocalAddress")
                    || line.startsWith("  -> RemoteAddress")) {
                continue;
            }
            try {
                if (line.startsWith("  -> ")) {
                    if (dests == null) {
                        errors.add("line " + no + ": real server before any service");
                        continue;
                    }
                    String[] f = line.substring(5).trim().split("\\s+");
                    if (f.length != 5) {
                        errors.add("line " + no + ": expected address, forward, weight, ActiveConn, InActConn");
                        continue;
                    }
                    int[] ep = endpoint(f[0]);
                    dests.add(new DestRecord(ep[0], ep[1], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]),
                            Long.parseLong(f[4])));
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                if (f.length < 3 || !(f[0].equals("TCP") || f[0].equals("UDP") || f[0].equals("SCTP"))) {
                    errors.add("line " + no + ": not a service line: " + line);
                    continue;
                }
                if (proto != null) {
                    out.add(new ServiceRecord(proto, addr, port, sched, flags, persistent, List.copyOf(dests)));
                }
                int[] ep = endpoint(f[1]);
                proto = f[0];
                addr = ep[0];
                port = ep[1];
                sched = f[2];
                flags = "";
                persistent = 0;
                dests = new ArrayList<>();
                for (int i = 3; i < f.length; i++) {
                    if (f[i].startsWith("(")) {
                        flags = f[i].replace("(", "").replace(")", "");
                    } else if (f[i].equals("persistent") && i + 1 < f.length) {
                        persistent = Integer.parseInt(f[++i]);
                    }
                }
            } catch (IllegalArgumentException e) {
                errors.add("line " + no + ": " + e.getMessage());
            }
        }
        if (proto != null) {
            out.add(new ServiceRecord(proto, addr, port, sched, flags, persistent, List.copyOf(dests)));
        }
        return new Parsed<>(out, errors);
    }

    /** Parses {@code ipvsadm -Lnc} output. */
    public static Parsed<ConnRecord> readConnections(String text) {
        List<ConnRecord> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty() || line.startsWith("IPVS connection entries") || line.startsWith("pro expire")) {
                continue;
            }
            try {
                String[] f = line.trim().split("\\s+");
                if (f.length != 6) {
                    errors.add("line " + (n + 1) + ": expected 6 fields, got " + f.length);
                    continue;
                }
                String[] mmss = f[1].split(":");
                if (mmss.length != 2) {
                    errors.add("line " + (n + 1) + ": expire is not MM:SS: " + f[1]);
                    continue;
                }
                long exp = Long.parseLong(mmss[0]) * 60 + Long.parseLong(mmss[1]);
                int[] c = endpoint(f[3]);
                int[] v = endpoint(f[4]);
                int[] d = endpoint(f[5]);
                out.add(new ConnRecord(f[0], exp, f[2], c[0], c[1], v[0], v[1], d[0], d[1]));
            } catch (IllegalArgumentException e) {
                errors.add("line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed<>(out, errors);
    }

    /** Parses {@code /proc/net/ip_vs_conn}. */
    public static Parsed<ConnRecord> readProcConnections(String text) {
        List<ConnRecord> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty() || line.startsWith("Pro FromIP")) {
                continue;
            }
            try {
                String[] f = line.trim().split("\\s+");
                if (f.length < 9) {
                    errors.add("line " + (n + 1) + ": expected at least 9 fields, got " + f.length);
                    continue;
                }
                out.add(new ConnRecord(f[0], Long.parseLong(f[8]), f[7], hex(f[1]), hex(f[2]), hex(f[3]), hex(f[4]),
                        hex(f[5]), hex(f[6])));
            } catch (IllegalArgumentException e) {
                errors.add("line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed<>(out, errors);
    }

    private static int hex(String s) {
        return (int) Long.parseLong(s, 16);
    }

    private static int[] endpoint(String s) {
        int c = s.lastIndexOf(':');
        if (c < 0) {
            throw new IllegalArgumentException("expected address:port, got \"" + s + "\"");
        }
        int port = Integer.parseInt(s.substring(c + 1));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in \"" + s + "\"");
        }
        return new int[] {Ip4.parse(s.substring(0, c)), port};
    }
}
