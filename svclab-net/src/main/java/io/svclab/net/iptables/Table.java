package io.svclab.net.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One table ({@code filter} or {@code nat}): built-in chains in hook order, user chains by name. */
final class Table {

    final String name;
    final List<Chain> builtins = new ArrayList<>();
    final TreeMap<String, Chain> user = new TreeMap<>();
    /** Whether a restore has mentioned the table (iptables-save prints loaded tables only). */
    boolean loaded;

    Table(String name, String... builtinNames) {
        this.name = name;
        for (String b : builtinNames) {
            builtins.add(new Chain(b, true));
        }
    }

    static Table filter() {
        return new Table("filter", "INPUT", "FORWARD", "OUTPUT");
    }

    static Table nat() {
        return new Table("nat", "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
    }

    Chain chain(String n) {
        for (Chain c : builtins) {
            if (c.name.equals(n)) {
                return c;
            }
        }
        return user.get(n);
    }

    /** Every chain: built-ins first, then user chains in name order (as iptables-save lists them). */
    List<Chain> all() {
        List<Chain> out = new ArrayList<>(builtins);
        out.addAll(user.values());
        return out;
    }

    /** A working copy for a transaction. */
    Table copy() {
        Table t = new Table(name);
        for (Chain c : builtins) {
            t.builtins.add(c.copy());
        }
        for (Map.Entry<String, Chain> e : user.entrySet()) {
            t.user.put(e.getKey(), e.getValue().copy());
        }
        t.loaded = loaded;
        return t;
    }

    /** Resolves jump targets to this table's chain objects and freezes the rule arrays. */
    void compile() {
        for (Chain c : all()) {
            for (Rule r : c.rules) {
                if (r.target.kind == Target.JUMP || r.target.kind == Target.GOTO) {
                    r.target.chain = chain(r.target.name);
                }
            }
            c.compiled = c.rules.toArray(new Rule[0]);
        }
    }
}
