package io.svclab.net.iptables;

import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.nat.Masquerade;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatRange;
import io.svclab.net.nat.NatRuleTable;
import io.svclab.net.nat.NatService;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The iptables {@code filter} and {@code nat} tables of one namespace: loaded with
 * {@link #restore} (iptables-restore), printed with {@link #save} (iptables-save), and evaluated
 * on packets. {@link #install} attaches the object to the namespace, registers the filter table
 * at INPUT, FORWARD and OUTPUT (priority {@link NfPriority#FILTER}, name {@code filter}) and, when
 * the namespace has a {@link NatService}, installs the nat table as its {@link NatRuleTable}.
 *
 * <p>Evaluation follows {@code ipt_do_table}: rules in order, a rule's counters count when it
 * matches, jumps push a return point, {@code -g} does not, RETURN or the end of a user chain
 * returns, the end of a built-in chain applies its policy. It allocates nothing.
 */
public final class IptablesTables {

    /** One rule's counters as iptables-save prints its specification. */
    public record RuleCounters(String rule, long packets, long bytes) {
    }

    private static final int CONTINUE = 0;
    private static final int ACCEPT = 1;
    private static final int DROP = 2;
    private static final int STOLEN = 3;

    private final NetNamespace ns;
    private final SplittableRandom statisticRng;
    private final NatService nat;
    private final Map<String, Table> tables = new TreeMap<>();
    private final Recent.Registry recent = new Recent.Registry();
    /** The committed tables, read on the packet path. */
    private Table filterTable;
    private Table natTable;

    private IptablesTables(NetNamespace ns) {
        this.ns = ns;
        this.statisticRng = ns.sim().rng("iptables/" + ns.name() + "/statistic");
        this.nat = ns.attachment(NatService.class);
        tables.put("filter", Table.filter());
        tables.put("nat", Table.nat());
        for (Table t : tables.values()) {
            t.compile();
        }
        filterTable = tables.get("filter");
        natTable = tables.get("nat");
    }

    /**
     * Creates the tables of a namespace (empty, policies ACCEPT), attaches them
     * ({@code ns.attachment(IptablesTables.class)}) and hooks them in.
     *
     * @throws IllegalStateException when the namespace has them already
     */
    public static IptablesTables install(NetNamespace ns) {
        if (ns.attachment(IptablesTables.class) != null) {
            throw new IllegalStateException("iptables tables are already installed in " + ns.name());
        }
        IptablesTables t = new IptablesTables(ns);
        ns.attach(IptablesTables.class, t);
        for (Hook h : new Hook[] {Hook.INPUT, Hook.FORWARD, Hook.OUTPUT}) {
            ns.registerHook(h, new HookEntry("filter", NfPriority.FILTER, t::filter));
        }
        if (t.nat != null) {
            t.nat.setRuleTable(t::natRules);
        }
        return t;
    }

    /** Whether the nat table is evaluated (the namespace had a NAT service at install). */
    public boolean natActive() {
        return nat != null;
    }

    /** {@code iptables-restore --noflush}: see {@link #restore(String, boolean)}. */
    public void restore(String text) throws IptablesRestoreException {
        restore(text, true);
    }

    /**
     * Applies a restore text atomically: it is read and checked completely first; on any error
     * nothing changes. With {@code noflush} (what kube-proxy uses) only the user chains declared
     * with {@code :CHAIN - [0:0]} lines are flushed; without it every table named is flushed and
     * its user chains deleted first. Rules that survive keep their counters and statistic state.
     */
    public void restore(String text, boolean noflush) throws IptablesRestoreException {
        Restore r = new Restore(tables, statisticRng, recent, noflush);
        try {
            r.run(text);
        } catch (IptablesRestoreException ex) {
            pruneRecent();
            throw ex;
        }
        for (Map.Entry<String, Table> e : r.work.entrySet()) {
            e.getValue().compile();
            tables.put(e.getKey(), e.getValue());
        }
        pruneRecent();
        filterTable = tables.get("filter");
        natTable = tables.get("nat");
    }

    /** Keeps the recent lists named by the committed rules (the kernel frees a list with its last rule). */
    private void pruneRecent() {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Table t : tables.values()) {
            for (Chain c : t.all()) {
                for (Rule rule : c.rules) {
                    for (Match x : rule.matches) {
                        if (x instanceof Recent.Match rm) {
                            used.add(rm.name);
                        }
                    }
                }
            }
        }
        recent.retain(used);
    }

    /** The addresses of a {@code -m recent} list, oldest first (empty when there is no such list). */
    public List<String> recentList(String name) {
        List<String> out = new ArrayList<>();
        Recent.Table t = recent.tables.get(name);
        if (t != null) {
            for (int a : t.entries.keySet()) {
                out.add(Ip4.format(a));
            }
        }
        return out;
    }

    /** {@code iptables-save}: every loaded table, {@code filter} then {@code nat}, without the comment lines. */
    public String save() {
        StringBuilder b = new StringBuilder();
        for (Table t : tables.values()) {
            if (t.loaded) {
                save(t, b);
            }
        }
        return b.toString();
    }

    /** {@code iptables-save -t TABLE}. */
    public String save(String table) {
        Table t = tables.get(table);
        if (t == null) {
            throw new IllegalArgumentException("no table " + table + " (filter, nat)");
        }
        StringBuilder b = new StringBuilder();
        save(t, b);
        return b.toString();
    }

    private static void save(Table t, StringBuilder b) {
        b.append('*').append(t.name).append('\n');
        for (Chain c : t.all()) {
            b.append(':').append(c.name).append(' ');
            if (c.builtin) {
                b.append(c.policy == Target.ACCEPT ? "ACCEPT" : "DROP")
                        .append(" [").append(c.policyPackets).append(':').append(c.policyBytes).append("]\n");
            } else {
                b.append("- [0:0]\n");
            }
        }
        for (Chain c : t.all()) {
            for (Rule r : c.compiled) {
                b.append("-A ").append(c.name).append(r.spec).append('\n');
            }
        }
        b.append("COMMIT\n");
    }

    /** The rules of a chain with their counters (empty when the chain does not exist). */
    public List<RuleCounters> counters(String table, String chain) {
        List<RuleCounters> out = new ArrayList<>();
        Table t = tables.get(table);
        Chain c = t == null ? null : t.chain(chain);
        if (c != null) {
            for (Rule r : c.compiled) {
                out.add(new RuleCounters(r.spec.substring(1), r.packets, r.bytes));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ evaluation
    private Verdict filter(Packet p, NetNamespace n, Hook hook) {
        return verdict(runBuiltin(filterTable, hook, p));
    }

    private Verdict natRules(Packet p, NetNamespace n, Hook hook) {
        return verdict(runBuiltin(natTable, hook, p));
    }

    private static Verdict verdict(int v) {
        switch (v) {
            case DROP:
                return Verdict.DROP;
            case STOLEN:
                return Verdict.STOLEN;
            default:
                return Verdict.ACCEPT;
        }
    }

    private int runBuiltin(Table t, Hook hook, Packet p) {
        Chain c = builtin(t, hook);
        if (c == null) {
            return ACCEPT;
        }
        int v = runChain(c, hook, p);
        if (v == CONTINUE) {
            c.policyPackets++;
            c.policyBytes += p.ipLength();
            return c.policy == Target.DROP ? DROP : ACCEPT;
        }
        return v;
    }

    private static Chain builtin(Table t, Hook hook) {
        String n = hook.name();
        java.util.List<Chain> b = t.builtins;
        for (int i = 0, size = b.size(); i < size; i++) { // per packet: no iterator
            Chain c = b.get(i);
            if (c.name.equals(n)) {
                return c;
            }
        }
        return null;
    }

    private int runChain(Chain c, Hook hook, Packet p) {
        for (Rule r : c.compiled) {
            if (!r.test(p, ns)) {
                continue;
            }
            r.packets++;
            r.bytes += p.ipLength();
            Target t = r.target;
            switch (t.kind) {
                case Target.NONE:
                    continue;
                case Target.MARK:
                    p.mark = (p.mark & ~t.markMask) ^ t.markValue;
                    continue;
                case Target.JUMP: {
                    int v = runChain(t.chain, hook, p);
                    if (v != CONTINUE) {
                        return v;
                    }
                    continue;
                }
                case Target.GOTO:
                    return runChain(t.chain, hook, p);
                case Target.RETURN:
                    return CONTINUE;
                case Target.ACCEPT:
                    return ACCEPT;
                case Target.DROP:
                    return DROP;
                case Target.REJECT:
                    ns.icmpError(p, Icmp.DEST_UNREACH, t.rejectCode);
                    return DROP;
                case Target.DNAT:
                    return nat(p, t.range, ManipType.DST);
                case Target.SNAT:
                    return nat(p, t.range, ManipType.SRC);
                case Target.MASQUERADE:
                    return masquerade(p, t);
                default:
                    return ACCEPT;
            }
        }
        return CONTINUE;
    }

    private int nat(Packet p, NatRange range, ManipType manip) {
        Verdict v = nat.setupInfo(p, range, manip);
        return v == Verdict.DROP ? DROP : v == Verdict.STOLEN ? STOLEN : ACCEPT;
    }

    /**
     * {@code nf_nat_masquerade_ipv4}: the source becomes the outgoing device's address chosen by
     * {@code inet_select_addr} for the route's next hop (an address whose subnet holds the next
     * hop, else the device's first); no address drops the packet.
     */
    private int masquerade(Packet p, Target t) {
        int addr = Masquerade.address(p, ns);
        if (addr == 0) {
            return DROP;
        }
        int flags = NatRange.MAP_IPS | t.natFlags;
        int lo = 0;
        int hi = 0;
        if (t.masqMinPort != 0) {
            flags |= NatRange.PROTO_SPECIFIED;
            lo = t.masqMinPort;
            hi = t.masqMaxPort;
        }
        if (t.masqRange == null || t.masqRange.minAddr() != addr) {
            t.masqRange = new NatRange(addr, addr, lo, hi, flags);
        }
        return nat(p, t.masqRange, ManipType.SRC);
    }
}
