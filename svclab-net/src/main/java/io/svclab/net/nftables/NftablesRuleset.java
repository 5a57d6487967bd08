package io.svclab.net.nftables;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatRange;
import io.svclab.net.nat.NatService;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.Verdict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The nftables ruleset (family {@code ip}) of one namespace: changed with {@link #apply} (one
 * {@code nft -f} transaction) and evaluated on packets. Each base chain of type filter is a hook
 * function named {@code nft/<table>/<chain>} at its hook and priority; base chains of type nat
 * run, in priority order, as the namespace's {@link io.svclab.net.nat.NatRuleTable} when a
 * {@link NatService} is attached at install. Evaluation follows {@code nft_do_chain}: rules in
 * order, expressions in order until one breaks; jump returns to the next rule, goto does not;
 * the end of a base chain applies its policy; a NAT statement ends the traversal with the NAT
 * core's verdict.
 */
public final class NftablesRuleset {

    private final NetNamespace ns;
    private final NatService natService;
    private final SplittableRandom numgenRng;
    private final Map<String, Model.Table> tables = new TreeMap<>();
    private final List<Object[]> registered = new ArrayList<>();
    private final List<List<Model.Chain>> natChains = new ArrayList<>();

    /** Set by jump and goto verdicts for the engine. */
    Model.Chain target;

    private NftablesRuleset(NetNamespace ns) {
        this.ns = ns;
        this.natService = ns.attachment(NatService.class);
        this.numgenRng = ns.sim().rng("nftables/" + ns.name() + "/numgen");
        for (int i = 0; i < Hook.values().length; i++) {
            natChains.add(new ArrayList<>());
        }
    }

    /** Creates the empty ruleset of a namespace, attaches it and, with a NAT service, becomes its nat rule table. */
    public static NftablesRuleset install(NetNamespace ns) {
        if (ns.attachment(NftablesRuleset.class) != null) {
            throw new IllegalStateException("an nftables ruleset is already installed in " + ns.name());
        }
        NftablesRuleset r = new NftablesRuleset(ns);
        ns.attach(NftablesRuleset.class, r);
        if (r.natService != null) {
            r.natService.setRuleTable(r::runNat);
        }
        return r;
    }

    NetNamespace ns() {
        return ns;
    }

    SplittableRandom numgenRng() {
        return numgenRng;
    }

    /**
     * {@code nft -f}: reads and checks the whole text against working copies; on any error
     * nothing changes; otherwise the transaction is committed at once.
     */
    public void apply(String text) throws NftablesException {
        NftParser p = new NftParser(tables, ns.now());
        p.run(text);
        for (Map.Entry<String, Model.Table> e : p.work.entrySet()) {
            if (e.getValue() == null) {
                tables.remove(e.getKey());
            } else {
                compile(e.getValue());
                tables.put(e.getKey(), e.getValue());
            }
        }
        register();
    }

    /** Table names, sorted. */
    public List<String> tables() {
        return new ArrayList<>(tables.keySet());
    }

    /** Chain names of a table in creation order (empty when the table does not exist). */
    public List<String> chains(String table) {
        Model.Table t = tables.get(table);
        return t == null ? List.of() : new ArrayList<>(t.chains.keySet());
    }

    /** Number of rules of a chain, -1 when it does not exist. */
    public int ruleCount(String table, String chain) {
        Model.Table t = tables.get(table);
        Model.Chain c = t == null ? null : t.chains.get(chain);
        return c == null ? -1 : c.compiled.length;
    }

    /** Number of elements of a set or map, -1 when it does not exist. */
    public int elementCount(String table, String set) {
        Model.Table t = tables.get(table);
        Model.NamedSet s = t == null ? null : t.sets.get(set);
        return s == null ? -1 : s.elements.size() + s.prefixes.size();
    }

    /** Packets counted by the {@code counter} statements of a chain's rules, in rule order. */
    public List<Long> counterPackets(String table, String chain) {
        List<Long> out = new ArrayList<>();
        Model.Table t = tables.get(table);
        Model.Chain c = t == null ? null : t.chains.get(chain);
        if (c != null) {
            for (Model.Rule r : c.compiled) {
                for (Expr x : r.exprs) {
                    if (x instanceof Expr.Counter k) {
                        out.add(k.packets);
                    }
                }
            }
        }
        return out;
    }

    private static void compile(Model.Table t) {
        for (Model.Chain c : t.chains.values()) {
            for (Model.Rule r : c.rules) {
                List<Model.Verdict> vs = new ArrayList<>();
                for (Expr x : r.exprs) {
                    x.resolve(t);
                    x.targets(vs);
                }
                for (Model.Verdict v : vs) {
                    if (v.chainName != null) {
                        v.chain = t.chains.get(v.chainName);
                    }
                }
            }
            c.compiled = c.rules.toArray(new Model.Rule[0]);
        }
        for (Model.NamedSet s : t.sets.values()) {
            for (Model.Verdict v : s.elements.values()) {
                if (v.chainName != null) {
                    v.chain = t.chains.get(v.chainName);
                }
            }
        }
    }

    private void register() {
        for (Object[] r : registered) {
            ns.hooks((Hook) r[0]).unregister((String) r[1]);
        }
        registered.clear();
        for (List<Model.Chain> l : natChains) {
            l.clear();
        }
        List<Object[]> base = new ArrayList<>();
        for (Model.Table t : tables.values()) {
            for (Model.Chain c : t.chains.values()) {
                if (c.isBase()) {
                    base.add(new Object[] {t, c});
                }
            }
        }
        base.sort(Comparator.comparingInt(o -> ((Model.Chain) o[1]).priority));
        for (Object[] o : base) {
            Model.Table t = (Model.Table) o[0];
            Model.Chain c = (Model.Chain) o[1];
            Hook h = hookOf(c.hook);
            if (c.type.equals("nat")) {
                natChains.get(h.ordinal()).add(c);
                continue;
            }
            String name = "nft/" + t.name + "/" + c.name;
            ns.registerHook(h, new HookEntry(name, c.priority, (p, n, hook) -> runFilter(c, p)));
            registered.add(new Object[] {h, name});
        }
    }

    static Hook hookOf(String hook) {
        switch (hook) {
            case "prerouting":
                return Hook.PREROUTING;
            case "input":
                return Hook.INPUT;
            case "forward":
                return Hook.FORWARD;
            case "output":
                return Hook.OUTPUT;
            default:
                return Hook.POSTROUTING;
        }
    }

    // ------------------------------------------------------------------ evaluation
    private Verdict runFilter(Model.Chain c, Packet p) {
        return runBase(c, p) == Model.Verdict.DROP ? Verdict.DROP : Verdict.ACCEPT;
    }

    private Verdict runNat(Packet p, NetNamespace n, Hook hook) {
        for (Model.Chain c : natChains.get(hook.ordinal())) {
            int v = runBase(c, p);
            if (v == Model.Verdict.DROP) {
                return Verdict.DROP;
            }
            if (v == Expr.NAT_DONE) {
                return Verdict.ACCEPT;
            }
        }
        return Verdict.ACCEPT;
    }

    private int runBase(Model.Chain c, Packet p) {
        int v = runChain(c, p);
        return v == 0 ? c.policy : v;
    }

    private int runChain(Model.Chain c, Packet p) {
        for (Model.Rule r : c.compiled) {
            for (Expr x : r.exprs) {
                int v = x.eval(p, this);
                if (v == Expr.NEXT) {
                    continue;
                }
                if (v == Expr.BREAK || v == Model.Verdict.CONTINUE) {
                    break;
                }
                switch (v) {
                    case Model.Verdict.RETURN:
                        return 0;
                    case Model.Verdict.JUMP: {
                        int w = runChain(target, p);
                        if (w != 0) {
                            return w;
                        }
                        break;
                    }
                    case Model.Verdict.GOTO:
                        return runChain(target, p);
                    default:
                        return v;
                }
                break;
            }
        }
        return 0;
    }

    int nat(Packet p, NatRange range, ManipType manip) {
        if (natService == null) {
            return Expr.NAT_DONE;
        }
        return Expr.verdictCode(natService.setupInfo(p, range, manip));
    }
}
