package io.svclab.net.ipvs;

import io.svclab.kernel.KernelFeature;
import io.svclab.net.Ip4;
import io.svclab.net.Packet;
import io.svclab.net.trace.Decided;
import io.svclab.net.trace.Trace;

import java.util.Locale;

/**
 * The IPVS decisions traced for explanations ({@link Decided}). Callers check
 * {@link Trace#enabled()} first, so an untraced run builds nothing here. Entries are snapshots of
 * the {@code ipvsadm -Lnc} row (connection entries) or the {@code ipvsadm -Ln} real server row,
 * taken at the decision and formatted only when printed.
 */
final class IpvsTrace {

    private IpvsTrace() {
    }

    /** An {@code ipvsadm -Lnc} row frozen at the decision. */
    private record ConnRow(int proto, long expires, String state, int caddr, int cport, int vaddr, int vport,
                           int daddr, int dport) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-3s %02d:%02d %-11s %-18s %-18s %s", IpvsFormat.protoName(proto),
                    expires / 60, expires % 60, state, Ip4.endpoint(caddr, cport), Ip4.endpoint(vaddr, vport),
                    Ip4.endpoint(daddr, dport));
        }
    }

    /** An {@code ipvsadm -Ln} service and real server row frozen at the decision. */
    private record DestRow(String service, int addr, int port, String fwd, int weight, int active, int inactive) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s -> %-21s %-7s %-6d %-10d %d", service, Ip4.endpoint(addr, port), fwd,
                    weight, Integer.toUnsignedLong(active), Integer.toUnsignedLong(inactive));
        }
    }

    /** {@code SYN hit the connection entry in TIME_WAIT for real server ... (weight 0)}. */
    record Hit(String state, int daddr, int dport, int weight, boolean deleted) {
        @Override
        public String toString() {
            return "SYN hit the connection entry in " + state + " for real server " + Ip4.endpoint(daddr, dport)
                    + " (weight " + weight + (deleted ? ", deleted from the service" : "") + ")";
        }
    }

    /** The port-reuse block did not reschedule. */
    record Reuse(int reuseMode, String lacking, int daddr, int dport) {
        @Override
        public String toString() {
            return "no reschedule (conn_reuse_mode=" + reuseMode + (lacking == null ? "" : ", and this kernel lacks "
                    + lacking) + "): the SYN follows the entry's cached decision to " + Ip4.endpoint(daddr, dport);
        }
    }

    /** The sysctls and kernel switches the port-reuse block of {@code ip_vs_in} reads. */
    record Consulted(int reuseMode, boolean nodest, boolean conntrack, io.svclab.kernel.KernelProfile profile) {
        @Override
        public String toString() {
            return "net.ipv4.vs.conn_reuse_mode = " + reuseMode + "; net.ipv4.vs.expire_nodest_conn = "
                    + (nodest ? 1 : 0) + "; net.ipv4.vs.conntrack = " + (conntrack ? 1 : 0) + "; kernel "
                    + profile.name() + ": " + sw(profile, KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE) + ", "
                    + sw(profile, KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT) + ", "
                    + sw(profile, KernelFeature.IPVS_EXPIRE_NODEST_DELAYED_WORK);
        }
    }

    /** The drop of the conntrack=1 reuse path. */
    static final String REUSE_DROP = "entry expired to reschedule, but the SYN is dropped: its old conntrack entry"
            + " still exists (net.ipv4.vs.conntrack=1 reuse path, "
            + KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT.key() + " "
            + KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT.commit()
            + "); the client's retransmission will be scheduled afresh";

    private static final String[] REUSE_LINES = {"net.ipv4.vs.conn_reuse_mode = 0",
        "net.ipv4.vs.conn_reuse_mode = 1", "net.ipv4.vs.conn_reuse_mode = 2", "net.ipv4.vs.conn_reuse_mode = 3"};

    /** {@code net.ipv4.vs.conn_reuse_mode = N}, without building a string per packet. */
    static String reuseLine(int mode) {
        return mode >= 0 && mode < REUSE_LINES.length ? REUSE_LINES[mode] : "net.ipv4.vs.conn_reuse_mode = " + mode;
    }

    static boolean inService(IpvsDest d) {
        return d != null && d.svc != null && d.svc.dests.contains(d);
    }

    static Object row(IpvsConn c) {
        return new ConnRow(c.proto, c.expiresInSeconds(), c.stateName(), c.caddr, c.cport, c.vaddr, c.vport, c.daddr,
                c.dport);
    }

    static Object row(IpvsDest d) {
        return new DestRow(d.svc == null ? "?" : d.svc.displayName(), d.addr, d.port,
                IpvsDest.forwardingName(d.fwd), d.weight, d.activeConns, d.inactConns);
    }

    static boolean wanted(Trace t, Packet p) {
        return t.enabled() && t.wants(p.flowId);
    }

    static void emit(Ipvs ipvs, Packet p, Decided.Kind kind, Object what, Object entry, IpvsDest d) {
        ipvs.namespace().trace().emit(new Decided(ipvs.namespace().now(), ipvs.namespace().name(),
                p == null ? 0 : p.flowId, kind, what, entry, d == null ? 0 : d.addr, d == null ? 0 : d.port,
                d == null ? -1 : d.weight));
    }

    /** How a real server stands: {@code weight 0, deleted}. */
    static String destState(IpvsDest d) {
        if (d == null) {
            return "no real server";
        }
        return "weight " + d.weight + (inService(d) ? "" : ", deleted from the service");
    }

    private static String sw(io.svclab.kernel.KernelProfile profile, KernelFeature f) {
        return f.key() + " " + (profile.has(f) ? "on" : "off") + " (" + f.commit() + ")";
    }
}
