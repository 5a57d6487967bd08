package io.svclab.diagnose;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The findings of {@code svclab diagnose} (contract §6) from a node's dumps:
 * <ul>
 *   <li>{@code ipvs-weight0-reuse} / {@code ipvs-deleted-reuse}: IPVS connection entries bound to a
 *       real server of weight 0 (quiescent) or one that {@code ipvsadm -Ln} no longer lists
 *       (deleted), per state with the longest remaining timeout; each would catch a SYN from the
 *       same client address and port;</li>
 *   <li>{@code conntrack-stale-dnat}: conntrack entries whose reply source (the DNAT target) is
 *       not among the current endpoints ({@code ipvsadm -Ln} real servers of non-zero weight,
 *       {@code iptables-save} DNAT targets), per state with the longest remaining timeout;</li>
 *   <li>{@code sysctl-*}: the sysctl and kernel combinations of spec ipvs-kube-proxy §1.8 and §7
 *       with their upstream references.</li>
 * </ul>
 * Each entry's prediction (what a new SYN from the same client address and port would get) comes
 * from {@link NodeModel}: the dumps seeded into the model, the SYN injected.
 */
public final class Diagnosis {

    /** One evidence line. */
    public record Evidence(String file, int line, String text) {
        static Evidence of(Dumps.Line l) {
            return new Evidence(l.file(), l.no(), l.text());
        }
    }

    /** What the model says for one entry. */
    public record Prediction(String client, String entry, NodeModel.Outcome outcome, String text) {
    }

    /** One finding. */
    public record Finding(String id, String severity, String summary, List<Evidence> evidence,
                          List<Prediction> predictions, String prediction, String reference) {
    }

    /** One input file. */
    public record Input(String file, String kind, String format, int entries) {
    }

    /** Predictions computed per finding at most (the others are counted in the summary). */
    static final int MAX_PREDICTIONS = 20;
    /** Predictions computed in all (each rebuilds the node from the dumps). */
    static final int MAX_TOTAL_PREDICTIONS = 100;

    private int simulated;

    private final KernelProfile profile;
    private final boolean kernelGiven;
    private final Dumps.Sysctls sysctls;
    private final Dumps.IpvsList list;
    private final Dumps.IpvsConns conns;
    private final Dumps.Conntrack ct;
    private final Dumps.Iptables iptables;
    private final NodeModel model;
    private final List<Input> inputs = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    public Diagnosis(KernelProfile profile, boolean kernelGiven, Dumps.Conntrack ct, Dumps.IpvsList list,
                     Dumps.IpvsConns conns, Dumps.Sysctls sysctls, Dumps.Iptables iptables, String iptablesText) {
        this.profile = profile;
        this.kernelGiven = kernelGiven;
        this.ct = ct;
        this.list = list;
        this.conns = conns;
        this.sysctls = sysctls;
        this.iptables = iptables;
        this.model = new NodeModel(profile, sysctls, list, conns, ct, iptables, iptablesText);
        if (ct != null) {
            inputs.add(new Input(ct.file(), "conntrack", ct.format(), ct.entries().size()));
        }
        if (list != null) {
            inputs.add(new Input(list.file(), "ipvs", list.format(), list.entries()));
        }
        if (conns != null) {
            inputs.add(new Input(conns.file(), "ipvs-conn", conns.format(), conns.entries().size()));
        }
        if (sysctls != null) {
            inputs.add(new Input(sysctls.file(), "sysctl", "sysctl -a", sysctls.lines()));
        }
        if (iptables != null) {
            inputs.add(new Input(iptables.file(), "iptables", "iptables-save", iptables.rules()));
        }
        ipvsEntries();
        conntrackEntries();
        sysctlFindings();
    }

    public KernelProfile profile() {
        return profile;
    }

    public boolean kernelGiven() {
        return kernelGiven;
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<Finding> findings() {
        return findings;
    }

    /** What the model could not seed from the dumps. */
    public List<String> warnings() {
        return model.warnings();
    }

    // ------------------------------------------------------------------ IPVS entries

    private void ipvsEntries() {
        if (conns == null || list == null) {
            return;
        }
        // real servers by service and address, in -Ln order
        Map<String, Dumps.DestEntry> listed = new LinkedHashMap<>();
        for (Dumps.DestEntry d : list.dests()) {
            listed.put(key(d.service().proto(), d.service().addr(), d.service().port(), d.dest().addr(), d.dest().port()), d);
        }
        Map<String, List<Dumps.ConnEntry>> byDest = new TreeMap<>();
        for (Dumps.ConnEntry c : conns.entries()) {
            var r = c.rec();
            if (r.cport() == 0) {
                continue; // persistence template
            }
            String k = key(r.proto(), r.vaddr(), r.vport(), r.daddr(), r.dport());
            Dumps.DestEntry d = listed.get(k);
            boolean listedService = false;
            for (var s : list.services()) {
                listedService |= s.proto().equals(r.proto()) && s.addr() == r.vaddr() && s.port() == r.vport();
            }
            if (d == null && !listedService) {
                continue;
            }
            if (d == null || d.dest().weight() == 0) {
                byDest.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<String, List<Dumps.ConnEntry>> g : byDest.entrySet()) {
            Dumps.DestEntry d = listed.get(g.getKey());
            var first = g.getValue().get(0).rec();
            String rs = Ip4.endpoint(first.daddr(), first.dport());
            String vs = first.proto() + " " + Ip4.endpoint(first.vaddr(), first.vport());
            boolean weight0 = d != null;
            List<Evidence> ev = new ArrayList<>();
            if (d != null) {
                ev.add(Evidence.of(d.line()));
            }
            Map<String, long[]> states = new TreeMap<>();
            List<Prediction> preds = new ArrayList<>();
            int sticky = 0;
            for (Dumps.ConnEntry c : g.getValue()) {
                var r = c.rec();
                ev.add(Evidence.of(c.line()));
                long[] st = states.computeIfAbsent(r.state(), x -> new long[2]);
                st[0]++;
                st[1] = Math.max(st[1], r.expiresSeconds());
                if (preds.size() < MAX_PREDICTIONS && simulated < MAX_TOTAL_PREDICTIONS && r.proto().equals("TCP")) {
                    Prediction p = predict(r.caddr(), r.cport(), r.vaddr(), r.vport(), r.daddr(), r.dport(), weight0,
                            r.state() + " entry");
                    preds.add(p);
                    if (p.outcome().kind().equals(NodeModel.Outcome.FORWARDED) && p.outcome().addr() == r.daddr()
                            && p.outcome().port() == r.dport() || !p.outcome().kind().equals(NodeModel.Outcome.FORWARDED)) {
                        sticky++;
                    }
                }
            }
            String what = weight0 ? "has weight 0 (quiescent)" : "is deleted (ipvsadm -Ln no longer lists it)";
            String summary = String.format(Locale.ROOT, "real server %s of %s %s, and %d IPVS connection %s still %s to it: %s;"
                            + " a SYN from the same client address and port would be caught by %s",
                    rs, vs, what, g.getValue().size(), g.getValue().size() == 1 ? "entry" : "entries",
                    g.getValue().size() == 1 ? "points" : "point", states(states),
                    g.getValue().size() == 1 ? "it" : "them");
            String severity = sticky > 0 ? "high" : "low";
            String ref = weight0 ? "kubernetes/kubernetes#81775" : "kubernetes/kubernetes#71358";
            findings.add(new Finding(weight0 ? "ipvs-weight0-reuse" : "ipvs-deleted-reuse", severity, summary, ev, preds,
                    joined(preds, g.getValue().size()), ref));
        }
    }

    private static String key(String proto, int vaddr, int vport, int daddr, int dport) {
        return String.format(Locale.ROOT, "%s %08x:%04x %08x:%04x", proto, vaddr, vport, daddr, dport);
    }

    private static String states(Map<String, long[]> states) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, long[]> s : states.entrySet()) {
            parts.add(s.getValue()[0] + " " + s.getKey() + " (up to " + s.getValue()[1] + " s left)");
        }
        return String.join(", ", parts);
    }

    private static String joined(List<Prediction> preds, int total) {
        List<String> t = new ArrayList<>();
        for (Prediction p : preds) {
            t.add(p.text());
        }
        if (preds.isEmpty()) {
            return "not simulated: " + total + (total == 1 ? " entry" : " entries") + " beyond the limit of "
                    + MAX_TOTAL_PREDICTIONS + " simulations";
        }
        String s = String.join("; ", t);
        if (total > preds.size()) {
            s += "; (" + (total - preds.size()) + " more entries not simulated)";
        }
        return s;
    }

    /** Runs the model for one client port and words the outcome. */
    private Prediction predict(int caddr, int cport, int vaddr, int vport, int oldAddr, int oldPort, boolean weight0,
                               String entry) {
        simulated++;
        NodeModel.Outcome o = model.syn(caddr, cport, vaddr, vport);
        String client = Ip4.endpoint(caddr, cport);
        String old = Ip4.endpoint(oldAddr, oldPort);
        String head = "a SYN from " + client + " to " + Ip4.endpoint(vaddr, vport);
        String text;
        long reuse = model.sysctl(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE);
        long nodest = model.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN);
        switch (o.kind()) {
            case NodeModel.Outcome.FORWARDED:
                String to = o.to() + (o.addr() == oldAddr && o.port() == oldPort
                        ? (weight0 ? " (weight 0)" : " (the old destination)") : "");
                if (o.afterMs() > 0) {
                    text = head + " would be dropped" + because(o.reason()) + "; the client's retransmission "
                            + o.afterMs() / 1000 + " s later would go to " + to + ": a " + o.afterMs() / 1000
                            + " s connect delay";
                } else if (o.addr() == oldAddr && o.port() == oldPort) {
                    text = head + " would go to " + to + ": "
                            + (reuse == 0 ? "conn_reuse_mode=0 keeps the " + entry + "'s destination"
                            : "the " + entry + " still holds it")
                            + (weight0 && nodest == 0 ? " (expire_nodest_conn=0)" : "");
                } else {
                    text = head + " would be rescheduled at once to " + to + " (the " + entry + " to " + old
                            + " is expired)";
                }
                break;
            case NodeModel.Outcome.REFUSED:
                text = head + " would be refused: " + o.reason();
                break;
            case NodeModel.Outcome.LOCAL:
                text = head + " would be " + o.reason();
                break;
            default:
                text = head + " would be dropped" + because(o.reason()) + ", and so would its retransmissions up to "
                        + o.afterMs() / 1000 + " s: the connect times out";
        }
        return new Prediction(client, entry, o, text);
    }

    private static String because(String reason) {
        if (reason == null) {
            return "";
        }
        switch (reason) {
            case "old-conntrack":
                return " (IPVS drops it so that the old, confirmed conntrack entry goes first)";
            case "no-destination-entry":
                return " (its IPVS entry points at a deleted real server)";
            default:
                return "";
        }
    }

    // ------------------------------------------------------------------ conntrack entries

    private void conntrackEntries() {
        if (ct == null || (list == null && iptables == null)) {
            return;
        }
        java.util.Set<Long> current = new java.util.TreeSet<>();
        if (list != null) {
            for (Dumps.DestEntry d : list.dests()) {
                if (d.dest().weight() != 0) {
                    current.add(ep(d.dest().addr(), d.dest().port()));
                }
            }
        }
        if (iptables != null) {
            for (Dumps.Endpoint p : iptables.endpoints()) {
                current.add(ep(p.addr(), p.port()));
            }
        }
        Map<Long, List<Dumps.CtEntry>> stale = new TreeMap<>();
        for (Dumps.CtEntry c : ct.entries()) {
            if (!c.ipv4() || c.replySrc() == c.dst() && c.replySport() == c.dport()) {
                continue; // not DNATed
            }
            long target = ep(c.replySrc(), c.replySport());
            if (!current.contains(target)) {
                stale.computeIfAbsent(target, x -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<Long, List<Dumps.CtEntry>> g : stale.entrySet()) {
            Dumps.CtEntry first = g.getValue().get(0);
            String target = Ip4.endpoint(first.replySrc(), first.replySport());
            boolean weight0 = false;
            Dumps.DestEntry listed = null;
            if (list != null) {
                for (Dumps.DestEntry d : list.dests()) {
                    if (d.dest().addr() == first.replySrc() && d.dest().port() == first.replySport()) {
                        weight0 = true;
                        listed = d;
                    }
                }
            }
            List<Evidence> ev = new ArrayList<>();
            if (listed != null) {
                ev.add(Evidence.of(listed.line()));
            }
            Map<String, long[]> states = new TreeMap<>();
            List<Prediction> preds = new ArrayList<>();
            for (Dumps.CtEntry c : g.getValue()) {
                ev.add(Evidence.of(c.line()));
                String st = c.ct().state() == null ? c.ct().l4name() : c.ct().state();
                long[] s = states.computeIfAbsent(st, x -> new long[2]);
                s[0]++;
                s[1] = Math.max(s[1], c.ct().timeout() == null ? 0 : c.ct().timeout());
                if (preds.size() < MAX_PREDICTIONS && simulated < MAX_TOTAL_PREDICTIONS && c.ct().l4num() == 6) {
                    preds.add(predict(c.src(), c.sport(), c.dst(), c.dport(), c.replySrc(), c.replySport(), weight0,
                            st + " entry"));
                }
            }
            String summary = String.format(Locale.ROOT, "%d conntrack %s DNAT to %s, which is not among the current"
                            + " endpoints%s: %s", g.getValue().size(), g.getValue().size() == 1 ? "entry" : "entries",
                    target, weight0 ? " (weight 0 in ipvsadm -Ln)" : "", states(states));
            findings.add(new Finding("conntrack-stale-dnat", weight0 ? "medium" : "high", summary, ev, preds,
                    joined(preds, g.getValue().size()), "kubernetes/kubernetes#81775"));
        }
    }

    private static long ep(int addr, int port) {
        return Integer.toUnsignedLong(addr) << 16 | port;
    }

    // ------------------------------------------------------------------ sysctl / kernel

    private void sysctlFindings() {
        if (sysctls == null) {
            return;
        }
        Map<Sysctl, Dumps.SysctlEntry> k = sysctls.known();
        Dumps.SysctlEntry reuse = k.get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE);
        Dumps.SysctlEntry vsct = k.get(Sysctl.NET_IPV4_VS_CONNTRACK);
        Dumps.SysctlEntry nodest = k.get(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN);
        Dumps.SysctlEntry quiescent = k.get(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE);
        String kernel = "kernel " + profile.name() + (kernelGiven ? "" : " (assumed: no --kernel)");
        boolean dropFirst = profile.has(KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT);
        boolean onlyConfirmed = profile.has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT);
        boolean weight0Fix = profile.has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE);
        if (reuse != null && reuse.value() != 0 && vsct != null && vsct.value() != 0 && dropFirst && !onlyConfirmed) {
            findings.add(new Finding("sysctl-reuse-1s-delay", "high",
                    "conn_reuse_mode=" + reuse.value() + " with conntrack=1 on " + kernel + ", which lacks the 5.9 fix"
                            + " (f0a5e4d7a594 \"ipvs: allow connection reuse for unconfirmed conntrack\"): a SYN that"
                            + " reuses a client port of a TIME_WAIT entry is dropped and the connect takes 1 s (3 s when"
                            + " the retransmission is dropped too)",
                    List.of(Evidence.of(reuse.line()), Evidence.of(vsct.line())), List.of(),
                    "a SYN from a reused client port would be dropped; the client's retransmission 1 s later is"
                            + " scheduled afresh: a 1 s connect delay",
                    "kubernetes/kubernetes#70747, kubernetes/kubernetes#81775"));
        }
        if (reuse != null && reuse.value() == 0) {
            boolean weight0Rescued = weight0Fix && nodest != null && nodest.value() != 0;
            List<Evidence> ev = new ArrayList<>(List.of(Evidence.of(reuse.line())));
            if (nodest != null) {
                ev.add(Evidence.of(nodest.line()));
            }
            findings.add(new Finding("sysctl-reuse-mode-0", "high",
                    "conn_reuse_mode=0 on " + kernel + ": a SYN that reuses a client port follows the old IPVS entry"
                            + " to its real server, " + (weight0Rescued ? "except to a weight-0 one (expire_nodest_conn=1"
                            + " with the 5.16 fix c95c07836fa4)" : "weight 0 (terminating) or deleted alike")
                            + ", for as long as the entry lives (TIME_WAIT: 120 s)",
                    ev, List.of(),
                    "a SYN from a client port still held by an entry of a " + (weight0Rescued ? "deleted" : "weight-0 or deleted")
                            + " real server goes to that server (or is dropped when it is deleted)",
                    "kubernetes/kubernetes#81775"));
        }
        if (nodest != null && nodest.value() == 0) {
            findings.add(new Finding("sysctl-expire-nodest-conn-0", "medium",
                    "expire_nodest_conn=0: packets of entries whose real server was deleted are dropped silently,"
                            + " without refreshing the entry, until it expires (ESTABLISHED: up to 900 s)",
                    List.of(Evidence.of(nodest.line())), List.of(),
                    "a SYN or segment from a client port held by an entry of a deleted real server is dropped until"
                            + " the entry expires",
                    "kubernetes/kubernetes#71358"));
        }
        if (quiescent != null && quiescent.value() == 0) {
            boolean persistent = false;
            if (list != null) {
                for (var s : list.services()) {
                    persistent |= s.persistent() > 0;
                }
            }
            findings.add(new Finding("sysctl-expire-quiescent-template-0", persistent ? "high" : "low",
                    "expire_quiescent_template=0: persistence templates (sessionAffinity: ClientIP) keep sending new"
                            + " connections to a weight-0 real server until the affinity timeout"
                            + (persistent ? "" : " (no persistent service in the dumps)"),
                    List.of(Evidence.of(quiescent.line())), List.of(),
                    "a new connection from a client with a template on a weight-0 real server goes to that server",
                    "kubernetes/kubernetes#71809, kubernetes/kubernetes#71834"));
        }
    }
}
