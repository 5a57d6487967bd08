package io.svclab.diagnose;

import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.conntrack.CtLine;
import io.svclab.net.conntrack.CtParser;
import io.svclab.net.iptables.IptablesRestoreException;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.ipvs.IpvsadmReader;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers of a node's text dumps, with the format detected per file: {@code /proc/net/nf_conntrack}
 * and {@code conntrack -L} (plain, {@code -o id}, {@code -o extended}); {@code ipvsadm -Ln} (plain,
 * {@code --stats}, {@code --rate}) and {@code /proc/net/ip_vs}; {@code ipvsadm -Lnc} and
 * {@code /proc/net/ip_vs_conn}; {@code sysctl -a}; {@code iptables-save}. Each reader returns the
 * records with their line numbers and texts (the evidence of a finding) or throws a
 * {@link DumpException} naming the first line it cannot read; none throws anything else, on any
 * input.
 */
public final class Dumps {

    /** A line of a dump: 1-based number and text as read. */
    public record Line(String file, int no, String text) {
    }

    /** A conntrack entry with its addresses; {@code ipv4} false for IPv6 and other families (not modelled). */
    public record CtEntry(Line line, CtLine ct, boolean ipv4, int src, int dst, int sport, int dport, int replySrc,
                          int replyDst, int replySport, int replyDport) {
    }

    /** An IPVS connection entry. */
    public record ConnEntry(Line line, IpvsadmReader.ConnRecord rec) {
    }

    /** A real server of {@code ipvsadm -Ln} with its line. */
    public record DestEntry(Line line, IpvsadmReader.ServiceRecord service, IpvsadmReader.DestRecord dest) {
    }

    /** A {@code sysctl -a} key the model knows, with its value. */
    public record SysctlEntry(Line line, Sysctl key, long value) {
    }

    /** A DNAT target of an {@code iptables-save} rule (a Service endpoint). */
    public record Endpoint(Line line, int addr, int port) {
    }

    /** What one file held. */
    public record Conntrack(String file, String format, List<CtEntry> entries) {
    }

    /** {@code ipvsadm -Ln} or {@code /proc/net/ip_vs}: services with their real servers. */
    public record IpvsList(String file, String format, List<IpvsadmReader.ServiceRecord> services,
                           List<Line> serviceLines, List<DestEntry> dests) {

        /** Services plus real servers, as the contract counts them. */
        public int entries() {
            return services.size() + dests.size();
        }
    }

    /** {@code ipvsadm -Lnc} or {@code /proc/net/ip_vs_conn}. */
    public record IpvsConns(String file, String format, List<ConnEntry> entries) {
    }

    /** {@code sysctl -a}: the keys the model knows (others are read, checked and left out). */
    public record Sysctls(String file, int lines, Map<Sysctl, SysctlEntry> known) {
    }

    /** {@code iptables-save}: the rule count and the DNAT targets. */
    public record Iptables(String file, int rules, List<Endpoint> endpoints) {
    }

    private Dumps() {
    }

    static String[] split(String text) {
        String[] l = text.split("\n", -1);
        for (int i = 0; i < l.length; i++) {
            if (l[i].endsWith("\r")) {
                l[i] = l[i].substring(0, l[i].length() - 1);
            }
        }
        return l;
    }

    /** The error of a reader ({@code line N: message}) as a located exception. */
    private static DumpException located(String file, String[] lines, String error) {
        Matcher m = Pattern.compile("line (\\d{1,9}): (.*)", Pattern.DOTALL).matcher(error);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            return new DumpException(file, n, m.group(2), n >= 1 && n <= lines.length ? lines[n - 1] : "");
        }
        return new DumpException(file, 0, error, "");
    }

    /** {@code /proc/net/nf_conntrack} or {@code conntrack -L} (plain, {@code -o id}, {@code -o extended}). */
    public static Conntrack conntrack(String file, String text) throws DumpException {
        String[] lines = split(text);
        List<CtEntry> out = new ArrayList<>();
        String format = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank() || l.startsWith("conntrack v") && l.contains("flow entries have been shown")) {
                continue;
            }
            List<String> errors = new ArrayList<>();
            CtLine c = CtParser.parseLine(l, i + 1, errors);
            if (c == null) {
                throw located(file, lines, errors.get(0));
            }
            if (c.event() != null || c.timestamp() != null) {
                throw new DumpException(file, i + 1, "expected a conntrack entry, got an event line (conntrack -E)", l);
            }
            String f = c.l3name() == null ? (c.id() != null ? "conntrack -L -o id" : "conntrack -L")
                    : c.zone() != null ? "/proc/net/nf_conntrack"
                    : "conntrack -L -o extended";
            if (format == null) {
                format = f;
            }
            Line line = new Line(file, i + 1, l);
            boolean v4 = c.l3num() == 2 && !"ipv6".equals(c.l3name()) && c.orig().src().indexOf(':') < 0;
            if (!v4 || c.orig().sport() < 0) {
                out.add(new CtEntry(line, c, false, 0, 0, -1, -1, 0, 0, -1, -1));
                continue;
            }
            try {
                out.add(new CtEntry(line, c, true, Ip4.parse(c.orig().src()), Ip4.parse(c.orig().dst()), c.orig().sport(),
                        c.orig().dport(), Ip4.parse(c.reply().src()), Ip4.parse(c.reply().dst()), c.reply().sport(),
                        c.reply().dport()));
            } catch (IllegalArgumentException e) {
                throw new DumpException(file, i + 1, e.getMessage(), l);
            }
        }
        return new Conntrack(file, format == null ? "conntrack" : format, out);
    }

    /** {@code ipvsadm -Ln} (plain, {@code --stats}, {@code --rate}) or {@code /proc/net/ip_vs}. */
    public static IpvsList ipvsList(String file, String text) throws DumpException {
        String[] lines = split(text);
        IpvsadmReader.Parsed<IpvsadmReader.ServiceRecord> p = IpvsadmReader.readList(text);
        if (!p.errors().isEmpty()) {
            throw located(file, lines, p.errors().get(0));
        }
        String format = "ipvsadm -Ln";
        for (String l : lines) {
            if (l.startsWith("Prot LocalAddress:Port")) {
                format = l.contains("Conns") ? "ipvsadm -Ln --stats" : l.contains("CPS") ? "ipvsadm -Ln --rate" : format;
            }
            if (l.startsWith("  -> RemoteAddress:Port Forward")) {
                format = "/proc/net/ip_vs";
            }
        }
        List<Line> serviceLines = new ArrayList<>();
        List<DestEntry> dests = new ArrayList<>();
        for (IpvsadmReader.ServiceRecord s : p.records()) {
            serviceLines.add(new Line(file, s.line(), lines[s.line() - 1]));
            for (int k = 0; k < s.dests().size(); k++) {
                int n = s.destLines().get(k);
                dests.add(new DestEntry(new Line(file, n, lines[n - 1]), s, s.dests().get(k)));
            }
        }
        return new IpvsList(file, format, p.records(), serviceLines, dests);
    }

    /** {@code ipvsadm -Lnc} or {@code /proc/net/ip_vs_conn}. */
    public static IpvsConns ipvsConns(String file, String text) throws DumpException {
        String[] lines = split(text);
        boolean proc = IpvsadmReader.looksLikeProcConnections(text);
        IpvsadmReader.Parsed<IpvsadmReader.ConnRecord> p = proc ? IpvsadmReader.readProcConnections(text)
                : IpvsadmReader.readConnections(text);
        if (!p.errors().isEmpty()) {
            throw located(file, lines, p.errors().get(0));
        }
        List<ConnEntry> out = new ArrayList<>();
        for (int k = 0; k < p.records().size(); k++) {
            int n = p.lines().get(k);
            out.add(new ConnEntry(new Line(file, n, lines[n - 1]), p.records().get(k)));
        }
        return new IpvsConns(file, proc ? "/proc/net/ip_vs_conn" : "ipvsadm -Lnc", out);
    }

    private static final Pattern SYSCTL_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./:@+-]*");

    /**
     * {@code sysctl -a} ({@code key = value}; {@code key=value} too): every line must have that
     * shape; the keys the model knows are kept, their values checked against the kernel profile.
     */
    public static Sysctls sysctl(String file, String text, KernelProfile profile) throws DumpException {
        String[] lines = split(text);
        Map<Sysctl, SysctlEntry> known = new EnumMap<>(Sysctl.class);
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank()) {
                continue;
            }
            int eq = l.indexOf('=');
            String key = eq < 0 ? "" : l.substring(0, eq).trim();
            if (eq < 0 || !SYSCTL_KEY.matcher(key).matches()) {
                throw new DumpException(file, i + 1, "expected KEY = VALUE as sysctl -a prints it", l);
            }
            count++;
            Sysctl s = Sysctl.byKey(key.replace('/', '.'));
            if (s == null) {
                continue;
            }
            try {
                known.put(s, new SysctlEntry(new Line(file, i + 1, l), s, s.parse(l.substring(eq + 1).trim(), profile)));
            } catch (IllegalArgumentException e) {
                throw new DumpException(file, i + 1, key + ": " + e.getMessage(), l);
            }
        }
        return new Sysctls(file, count, known);
    }

    private static final Pattern TO_DESTINATION = Pattern.compile(
            "-j DNAT\\b.*--to-destination (\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");

    /**
     * {@code iptables-save}: the whole text goes through the model's {@code iptables-restore}
     * (which rejects what the kernel would); the DNAT targets are the Service endpoints.
     */
    public static Iptables iptables(String file, String text) throws DumpException {
        String[] lines = split(text);
        EmbeddedNetns scratch = new EmbeddedNetns("6.12");
        io.svclab.net.conntrack.Conntrack.install(scratch.ns());
        IptablesTables t = IptablesTables.install(scratch.ns());
        try {
            t.restore(text);
        } catch (IptablesRestoreException e) {
            int n = e.line();
            throw new DumpException(file, n, e.getMessage().replaceFirst("^line \\d+: ", ""),
                    n >= 1 && n <= lines.length ? lines[n - 1] : "");
        } catch (RuntimeException e) {
            throw new DumpException(file, 0, "expected iptables-save output (" + e.getMessage() + ")", "");
        }
        int rules = 0;
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (!l.startsWith("-A ")) {
                continue;
            }
            rules++;
            Matcher m = TO_DESTINATION.matcher(l);
            if (m.find()) {
                try {
                    int port = Integer.parseInt(m.group(2));
                    endpoints.add(new Endpoint(new Line(file, i + 1, l), Ip4.parse(m.group(1)), port));
                } catch (IllegalArgumentException e) {
                    throw new DumpException(file, i + 1, e.getMessage(), l);
                }
            }
        }
        return new Iptables(file, rules, endpoints);
    }
}
