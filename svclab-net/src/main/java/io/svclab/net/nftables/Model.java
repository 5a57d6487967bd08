package io.svclab.net.nftables;

import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The objects of the nftables model: tables, chains, rules, sets and verdict maps. */
final class Model {

    private Model() {
    }

    /** A verdict as rules and verdict maps hold it; jump and goto name a chain, resolved on commit. */
    static final class Verdict {
        static final int ACCEPT = 1;
        static final int DROP = 2;
        static final int RETURN = 3;
        static final int JUMP = 4;
        static final int GOTO = 5;
        static final int CONTINUE = 6;

        final int kind;
        final String chainName;
        Chain chain;

        Verdict(int kind, String chainName) {
            this.kind = kind;
            this.chainName = chainName;
        }
    }

    /** Key field types of sets and maps. */
    static final int T_ADDR = 0;
    static final int T_PROTO = 1;
    static final int T_SERVICE = 2;

    static int width(int type) {
        return type == T_ADDR ? 32 : type == T_PROTO ? 8 : 16;
    }

    /** A named set ({@code add set}) or verdict map ({@code add map}). */
    static final class NamedSet {
        final String name;
        final int[] keyTypes;
        final boolean isMap;
        /** {@code flags interval}: prefix elements allowed. */
        boolean interval;
        /** Plain keys (concatenations packed into a long) to verdicts; sets map to {@link #PRESENT}. */
        final Long2ObjectOpenHashMap<Verdict> elements = new Long2ObjectOpenHashMap<>();
        /** Prefix elements of an interval set of addresses: {addr, len}. */
        final List<int[]> prefixes = new ArrayList<>();
        /** Quick membership for single-address sets. */
        final IntOpenHashSet addrs = new IntOpenHashSet();
        /** Default element timeout of a {@code flags timeout} set, 0 = none. */
        long timeoutNs;
        /** Expiry time of each address of a set with a timeout. */
        final Int2LongOpenHashMap expiries = new Int2LongOpenHashMap();

        NamedSet(String name, int[] keyTypes, boolean isMap) {
            this.name = name;
            this.keyTypes = keyTypes;
            this.isMap = isMap;
        }

        NamedSet copy() {
            NamedSet s = new NamedSet(name, keyTypes, isMap);
            s.interval = interval;
            s.elements.putAll(elements);
            s.prefixes.addAll(prefixes);
            s.addrs.addAll(addrs);
            s.timeoutNs = timeoutNs;
            s.expiries.putAll(expiries);
            return s;
        }

        void clear() {
            elements.clear();
            prefixes.clear();
            addrs.clear();
            expiries.clear();
        }

        /** Adds or refreshes an address; with a timeout it expires {@link #timeoutNs} after {@code now}. */
        void addAddr(int a, long now) {
            addrs.add(a);
            if (timeoutNs > 0) {
                expiries.put(a, now + timeoutNs);
            }
        }

        boolean containsAddr(int a, long now) {
            if (addrs.contains(a)) {
                // nft_set_elem_expired: gone once its expiration is not after now
                return timeoutNs == 0 || expiries.get(a) > now;
            }
            for (int[] p : prefixes) {
                if (io.svclab.net.Ip4.inPrefix(a, p[0], p[1])) {
                    return true;
                }
            }
            return false;
        }
    }

    static final Verdict PRESENT = new Verdict(Verdict.CONTINUE, null);

    /** A chain; a base chain has a type, hook and priority. */
    static final class Chain {
        final String name;
        String type;
        String hook;
        int priority;
        int policy = Verdict.ACCEPT;
        final List<Rule> rules = new ArrayList<>();
        Rule[] compiled = new Rule[0];

        Chain(String name) {
            this.name = name;
        }

        boolean isBase() {
            return hook != null;
        }

        Chain copy() {
            Chain c = new Chain(name);
            c.type = type;
            c.hook = hook;
            c.priority = priority;
            c.policy = policy;
            c.rules.addAll(rules);
            return c;
        }
    }

    /** A rule: expressions evaluated in order; counters when it has a {@code counter} statement. */
    static final class Rule {
        Expr[] exprs;
        final int line;

        Rule(Expr[] exprs, int line) {
            this.exprs = exprs;
            this.line = line;
        }
    }

    /** A table of family {@code ip}. */
    static final class Table {
        final String name;
        final Map<String, Chain> chains = new LinkedHashMap<>();
        final Map<String, NamedSet> sets = new LinkedHashMap<>();

        Table(String name) {
            this.name = name;
        }

        Table copy() {
            Table t = new Table(name);
            for (Map.Entry<String, Chain> e : chains.entrySet()) {
                t.chains.put(e.getKey(), e.getValue().copy());
            }
            for (Map.Entry<String, NamedSet> e : sets.entrySet()) {
                t.sets.put(e.getKey(), e.getValue().copy());
            }
            return t;
        }
    }
}
