package io.svclab.diagnose;

import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.net.NetNamespace;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.ipvs.Ipvs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state of {@code run --from-dumps DIR}: the dumps of one node, read with {@link Dumps} from
 * the files below (the first name found of each row), seeded into the scenario's first node before
 * time 0.
 * <ul>
 *   <li>{@code ipvsadm-Ln.txt} or {@code ip_vs.txt}: only tells which real servers are gone (the
 *       services and their weights are the scenario's, kube-proxy owns them);</li>
 *   <li>{@code ipvsadm-Lnc.txt} or {@code ip_vs_conn.txt}: IPVS connection entries, for the
 *       scenario's services;</li>
 *   <li>{@code nf_conntrack.txt} or {@code conntrack-L.txt}: conntrack entries;</li>
 *   <li>{@code sysctl-a.txt}: the node's sysctls the model knows (after kube-proxy's own).</li>
 * </ul>
 * Not seeded, and said so in {@link #warnings()}: pods and their sockets (the clients and servers
 * of the dumped entries do not exist in the scenario unless their addresses are the scenario's),
 * other nodes, entries of services the scenario does not have, persistence templates.
 */
public final class FromDumps {

    /** File names looked for, per kind, in order. */
    public static final Map<String, List<String>> FILES = Map.of(
            "ipvs", List.of("ipvsadm-Ln.txt", "ip_vs.txt"),
            "ipvs-conn", List.of("ipvsadm-Lnc.txt", "ip_vs_conn.txt"),
            "conntrack", List.of("nf_conntrack.txt", "conntrack-L.txt"),
            "sysctl", List.of("sysctl-a.txt"));

    private final Dumps.IpvsList list;
    private final Dumps.IpvsConns conns;
    private final Dumps.Conntrack ct;
    private final Dumps.Sysctls sysctls;
    private final List<String> warnings = new ArrayList<>();

    private FromDumps(Dumps.IpvsList list, Dumps.IpvsConns conns, Dumps.Conntrack ct, Dumps.Sysctls sysctls) {
        this.list = list;
        this.conns = conns;
        this.ct = ct;
        this.sysctls = sysctls;
    }

    /**
     * Reads the dumps of a folder.
     *
     * @throws DumpException for a line that does not read, or (line 0) when the folder holds none
     */
    public static FromDumps load(Path dir, KernelProfile profile) throws DumpException {
        if (!Files.isDirectory(dir)) {
            throw new DumpException(dir.toString(), 0, "no such folder", "");
        }
        Path l = find(dir, "ipvs");
        Path c = find(dir, "ipvs-conn");
        Path t = find(dir, "conntrack");
        Path s = find(dir, "sysctl");
        if (l == null && c == null && t == null && s == null) {
            throw new DumpException(dir.toString(), 0, "expected at least one of ipvsadm-Ln.txt, ip_vs.txt, ipvsadm-Lnc.txt,"
                    + " ip_vs_conn.txt, nf_conntrack.txt, conntrack-L.txt, sysctl-a.txt", "");
        }
        return new FromDumps(l == null ? null : Dumps.ipvsList(l.toString(), read(l)),
                c == null ? null : Dumps.ipvsConns(c.toString(), read(c)),
                t == null ? null : Dumps.conntrack(t.toString(), read(t)),
                s == null ? null : Dumps.sysctl(s.toString(), read(s), profile));
    }

    private static Path find(Path dir, String kind) {
        for (String n : FILES.get(kind)) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String read(Path p) throws DumpException {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DumpException(p.toString(), 0, "cannot read: " + e.getMessage(), "");
        }
    }

    /** Seeds the node (called once, before time 0). */
    public void seed(NetNamespace node) {
        if (sysctls != null) {
            for (Dumps.SysctlEntry e : sysctls.known().values()) {
                if (e.key() != Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE && e.key().existsIn(node.sysctls().profile())) {
                    node.sysctls().set(e.key(), e.value());
                }
            }
        }
        Ipvs ipvs = Ipvs.of(node);
        if (conns != null && ipvs == null) {
            warnings.add("IPVS connection entries are not seeded: the scenario's node runs no IPVS");
        } else if (conns != null) {
            Seeder.ipvs(ipvs, list, conns, false, warnings);
        }
        if (ct != null) {
            Seeder.conntrack(node.attachment(ConntrackTable.class), ct, ipvs != null, warnings);
        }
        warnings.add("pods, their sockets and the other nodes come from the scenario, not from the dumps");
    }

    /** What could not be seeded. */
    public List<String> warnings() {
        return List.copyOf(new java.util.TreeSet<>(warnings));
    }
}
