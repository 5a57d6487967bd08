package io.svclab.net.nftables;

import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code nft -f} transaction, in the command form kube-proxy writes
 * ({@code add table/chain/set/map/rule/element}, {@code flush}, {@code delete}) and the block
 * form ({@code table ip t { chain c { ... } }}), into working copies of the tables.
 */
final class NftParser {

    /** A token: a word, a quoted string, or one of { } ; , and the line end. */
    private record Tok(String text, int line, boolean quoted) {
    }

    private static final String NL = "\n";

    private final Map<String, Model.Table> current;
    /** Simulation time, for element timeouts. */
    private final long now;
    /** Tables changed by the transaction; a null value deletes the table. */
    final Map<String, Model.Table> work = new HashMap<>();
    private List<Tok> toks;
    private int pos;

    NftParser(Map<String, Model.Table> current, long now) {
        this.current = current;
        this.now = now;
    }

    // ------------------------------------------------------------------ lexer
    private static List<Tok> lex(String text) throws NftablesException {
        List<Tok> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.add(new Tok(NL, line, false));
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '{' || c == '}' || c == ';' || c == ',') {
                out.add(new Tok(String.valueOf(c), line, false));
                i++;
            } else if (c == '"') {
                int j = i + 1;
                StringBuilder b = new StringBuilder();
                while (j < n && text.charAt(j) != '"') {
                    if (text.charAt(j) == '\n') {
                        throw new NftablesException(line, "unterminated string");
                    }
                    b.append(text.charAt(j));
                    j++;
                }
                if (j >= n) {
                    throw new NftablesException(line, "unterminated string");
                }
                out.add(new Tok(b.toString(), line, true));
                i = j + 1;
            } else {
                int j = i;
                while (j < n && " \t\r\n{};,\"#".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                out.add(new Tok(text.substring(i, j), line, false));
                i = j;
            }
        }
        out.add(new Tok(NL, line, false));
        return out;
    }

    // ------------------------------------------------------------------ token helpers
    private Tok peekTok() {
        return pos < toks.size() ? toks.get(pos) : null;
    }

    private String peek() {
        Tok t = peekTok();
        return t == null ? null : t.text;
    }

    private boolean peekIs(String s) {
        Tok t = peekTok();
        return t != null && !t.quoted && t.text.equals(s);
    }

    private int line() {
        Tok t = pos < toks.size() ? toks.get(pos) : toks.get(toks.size() - 1);
        return t.line;
    }

    private NftablesException error(String problem) {
        return new NftablesException(line(), problem);
    }

    private String word(String what) throws NftablesException {
        Tok t = peekTok();
        if (t == null || t.text.equals(NL) || (!t.quoted && "{};,".contains(t.text) && t.text.length() == 1)) {
            throw error(what + " expected");
        }
        pos++;
        return t.text;
    }

    private void expect(String s) throws NftablesException {
        if (!peekIs(s)) {
            throw error("\"" + s + "\" expected" + (peek() == null || peek().equals(NL) ? "" : ", got \"" + peek() + "\""));
        }
        pos++;
    }

    private boolean accept(String s) {
        if (peekIs(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean atEnd() {
        Tok t = peekTok();
        return t == null || (!t.quoted && (t.text.equals(NL) || t.text.equals(";") || t.text.equals("}")));
    }

    private void skipNewlines() {
        while (peekIs(NL)) {
            pos++;
        }
    }

    private void endOfCommand() throws NftablesException {
        if (peekIs(";") || peekIs(NL)) {
            pos++;
            return;
        }
        if (peek() == null || peekIs("}")) {
            return;
        }
        throw error("unexpected \"" + peek() + "\"");
    }

    // ------------------------------------------------------------------ commands
    void run(String text) throws NftablesException {
        toks = lex(text);
        pos = 0;
        while (pos < toks.size()) {
            if (accept(NL) || accept(";")) {
                continue;
            }
            String cmd = word("command");
            switch (cmd) {
                case "add":
                case "create":
                    add(cmd.equals("create"), false);
                    break;
                case "insert":
                    if (!accept("rule")) {
                        throw error("only \"insert rule\" is supported");
                    }
                    rule(table(), true);
                    break;
                case "flush":
                    flush();
                    break;
                case "delete":
                case "destroy":
                    delete(cmd.equals("destroy"));
                    break;
                case "table":
                    tableBlock();
                    break;
                default:
                    throw new NftablesException(toks.get(pos - 1).line, "unsupported command \"" + cmd + "\"");
            }
        }
        validateLoops();
    }

    private String family() throws NftablesException {
        String f = peek();
        if ("ip".equals(f)) {
            pos++;
            return f;
        }
        if ("ip6".equals(f) || "inet".equals(f) || "arp".equals(f) || "bridge".equals(f) || "netdev".equals(f)) {
            throw error("unsupported family \"" + f + "\" (only ip is modelled)");
        }
        return "ip";
    }

    /** Family and name of an existing (or in this transaction created) table. */
    private Model.Table table() throws NftablesException {
        family();
        String name = word("table name");
        Model.Table t = working(name);
        if (t == null) {
            throw error("table \"" + name + "\" does not exist");
        }
        return t;
    }

    private Model.Table working(String name) {
        if (work.containsKey(name)) {
            return work.get(name);
        }
        Model.Table cur = current.get(name);
        if (cur == null) {
            return null;
        }
        Model.Table copy = cur.copy();
        work.put(name, copy);
        return copy;
    }

    private void add(boolean create, boolean inBlock) throws NftablesException {
        String what = word("object");
        switch (what) {
            case "table": {
                family();
                String name = word("table name");
                Model.Table t = working(name);
                if (t != null && create) {
                    throw error("table \"" + name + "\" already exists");
                }
                if (t == null) {
                    t = new Model.Table(name);
                    work.put(name, t);
                }
                if (accept("{")) {
                    tableBody(t);
                } else {
                    endOfCommand();
                }
                return;
            }
            case "chain": {
                Model.Table t = table();
                chainDecl(t, word("chain name"), create);
                return;
            }
            case "set":
            case "map": {
                Model.Table t = table();
                setDecl(t, word(what + " name"), what.equals("map"), create);
                return;
            }
            case "rule":
                rule(table(), false);
                return;
            case "element": {
                Model.Table t = table();
                elements(t, word("set name"), true);
                endOfCommand();
                return;
            }
            default:
                throw error("unsupported object \"" + what + "\"");
        }
    }

    private void flush() throws NftablesException {
        String what = word("object");
        switch (what) {
            case "chain": {
                Model.Table t = table();
                chain(t, word("chain name")).rules.clear();
                break;
            }
            case "set":
            case "map": {
                Model.Table t = table();
                set(t, word(what + " name")).clear();
                break;
            }
            case "table": {
                Model.Table t = table();
                // flush table removes every chain's rules; sets and maps keep their elements
                for (Model.Chain c : t.chains.values()) {
                    c.rules.clear();
                }
                break;
            }
            case "ruleset":
                family();
                for (String name : new ArrayList<>(current.keySet())) {
                    work.put(name, null);
                }
                for (String name : new ArrayList<>(work.keySet())) {
                    work.put(name, null);
                }
                break;
            default:
                throw error("unsupported object \"" + what + "\"");
        }
        endOfCommand();
    }

    private void delete(boolean destroy) throws NftablesException {
        String what = word("object");
        switch (what) {
            case "table": {
                family();
                String name = word("table name");
                if (working(name) == null && !destroy) {
                    throw error("table \"" + name + "\" does not exist");
                }
                work.put(name, null);
                break;
            }
            case "chain": {
                Model.Table t = table();
                String name = word("chain name");
                Model.Chain c = t.chains.get(name);
                if (c == null) {
                    if (destroy) {
                        break;
                    }
                    throw error("chain \"" + name + "\" does not exist");
                }
                // nf_tables_delchain removes the chain's own rules; only references from elsewhere block it
                String user = referrer(t, name, c);
                if (user != null) {
                    throw error("can't delete chain \"" + name + "\": it is referenced from " + user + " (Device or resource busy)");
                }
                t.chains.remove(name);
                break;
            }
            case "set":
            case "map": {
                Model.Table t = table();
                String name = word(what + " name");
                if (!t.sets.containsKey(name)) {
                    if (destroy) {
                        break;
                    }
                    throw error(what + " \"" + name + "\" does not exist");
                }
                for (Model.Chain c : t.chains.values()) {
                    for (Model.Rule r : c.rules) {
                        for (Expr x : r.exprs) {
                            if ((x instanceof Expr.ConcatLookup l && name.equals(l.setName))
                                    || (x instanceof Expr.AddrSet a && name.equals(a.setName))
                                    || (x instanceof Expr.SetUpdate u && name.equals(u.setName))) {
                                throw error("can't delete " + what + " \"" + name + "\": it is used in chain " + c.name);
                            }
                        }
                    }
                }
                t.sets.remove(name);
                break;
            }
            case "element": {
                Model.Table t = table();
                elements(t, word("set name"), false);
                break;
            }
            case "rule":
                throw error("deleting a rule needs its handle, which is not modelled");
            default:
                throw error("unsupported object \"" + what + "\"");
        }
        endOfCommand();
    }

    private static String referrer(Model.Table t, String chain, Model.Chain self) {
        for (Model.Chain c : t.chains.values()) {
            if (c == self) {
                continue;
            }
            for (Model.Rule r : c.rules) {
                List<Model.Verdict> vs = new ArrayList<>();
                for (Expr x : r.exprs) {
                    x.targets(vs);
                }
                for (Model.Verdict v : vs) {
                    if (chain.equals(v.chainName)) {
                        return "chain " + c.name;
                    }
                }
            }
        }
        for (Model.NamedSet s : t.sets.values()) {
            for (Model.Verdict v : s.elements.values()) {
                if (chain.equals(v.chainName)) {
                    return "map " + s.name;
                }
            }
        }
        return null;
    }

    private Model.Chain chain(Model.Table t, String name) throws NftablesException {
        Model.Chain c = t.chains.get(name);
        if (c == null) {
            throw error("chain \"" + name + "\" does not exist in table " + t.name);
        }
        return c;
    }

    private Model.NamedSet set(Model.Table t, String name) throws NftablesException {
        Model.NamedSet s = t.sets.get(name);
        if (s == null) {
            throw error("set or map \"" + name + "\" does not exist in table " + t.name);
        }
        return s;
    }

    // ------------------------------------------------------------------ block form
    private void tableBlock() throws NftablesException {
        family();
        String name = word("table name");
        Model.Table t = working(name);
        if (t == null) {
            t = new Model.Table(name);
            work.put(name, t);
        }
        expect("{");
        tableBody(t);
    }

    /** After {@code table ip t {}: chains, sets, maps, comment, up to the closing brace. */
    private void tableBody(Model.Table t) throws NftablesException {
        while (true) {
            skipNewlines();
            if (accept(";")) {
                continue;
            }
            if (accept("}")) {
                endOfCommand();
                return;
            }
            String w = word("chain, set, map or }");
            switch (w) {
                case "comment":
                    word("comment");
                    break;
                case "chain": {
                    String name = word("chain name");
                    Model.Chain c = t.chains.get(name);
                    if (c == null) {
                        c = new Model.Chain(name);
                        t.chains.put(name, c);
                    }
                    expect("{");
                    chainBody(t, c, true);
                    break;
                }
                case "set":
                case "map":
                    setDecl(t, word(w + " name"), w.equals("map"), false);
                    break;
                default:
                    throw error("unsupported table statement \"" + w + "\"");
            }
        }
    }

    // ------------------------------------------------------------------ chains
    private void chainDecl(Model.Table t, String name, boolean create) throws NftablesException {
        Model.Chain c = t.chains.get(name);
        if (c != null && create) {
            throw error("chain \"" + name + "\" already exists");
        }
        if (name.length() > 256) {
            throw error("chain name is longer than 256 characters");
        }
        boolean isNew = c == null;
        if (isNew) {
            c = new Model.Chain(name);
        }
        if (accept("{")) {
            Model.Chain before = isNew ? null : c.copy();
            chainBody(t, c, false);
            if (before != null && before.hook != null && (!before.hook.equals(c.hook) || before.priority != c.priority)) {
                throw error("chain \"" + name + "\" exists with another hook or priority");
            }
        } else {
            endOfCommand();
        }
        t.chains.put(name, c);
    }

    /** Chain properties and (in the block form) rules, up to the closing brace. */
    private void chainBody(Model.Table t, Model.Chain c, boolean rules) throws NftablesException {
        t.chains.putIfAbsent(c.name, c);
        while (true) {
            skipNewlines();
            if (accept(";")) {
                continue;
            }
            if (accept("}")) {
                if (!rules) {
                    endOfCommand();
                }
                return;
            }
            String w = peek();
            if ("type".equals(w)) {
                pos++;
                String type = word("chain type");
                if (!type.equals("filter") && !type.equals("nat")) {
                    throw error("unsupported chain type \"" + type + "\" (filter, nat)");
                }
                expect("hook");
                String hook = word("hook");
                if (!List.of("prerouting", "input", "forward", "output", "postrouting").contains(hook)) {
                    throw error("unsupported hook \"" + hook + "\"");
                }
                if (type.equals("nat") && hook.equals("forward")) {
                    throw error("nat chains cannot use hook forward");
                }
                expect("priority");
                c.type = type;
                c.hook = hook;
                c.priority = priority();
            } else if ("policy".equals(w)) {
                pos++;
                String p = word("policy");
                if (p.equals("accept")) {
                    c.policy = Model.Verdict.ACCEPT;
                } else if (p.equals("drop")) {
                    c.policy = Model.Verdict.DROP;
                } else {
                    throw error("bad policy \"" + p + "\"");
                }
                if (c.hook == null) {
                    throw error("a policy needs a base chain");
                }
            } else if ("comment".equals(w)) {
                pos++;
                word("comment");
            } else if ("device".equals(w) || "devices".equals(w) || "flags".equals(w)) {
                throw error("unsupported chain property \"" + w + "\"");
            } else if (rules) {
                c.rules.add(parseRule(t));
            } else {
                throw error("unexpected \"" + w + "\" in a chain declaration");
            }
        }
    }

    private int priority() throws NftablesException {
        String p = word("priority");
        int base;
        switch (p) {
            case "raw":
                base = -300;
                break;
            case "mangle":
                base = -150;
                break;
            case "dstnat":
                base = -100;
                break;
            case "filter":
                base = 0;
                break;
            case "security":
                base = 50;
                break;
            case "srcnat":
                base = 100;
                break;
            default:
                return integer(p, "priority", -1_000_000, 1_000_000);
        }
        String next = peek();
        if (next != null && (next.startsWith("+") || next.startsWith("-"))) {
            pos++;
            boolean minus = next.startsWith("-");
            String num = next.length() > 1 ? next.substring(1) : word("priority offset");
            int off = integer(num, "priority offset", 0, 1_000_000);
            base += minus ? -off : off;
        }
        return base;
    }

    private int integer(String s, String what, int min, int max) throws NftablesException {
        boolean neg = s.startsWith("-");
        String d = neg ? s.substring(1) : s;
        if (d.isEmpty() || d.length() > 9 || !d.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw error("bad " + what + " \"" + s + "\"");
        }
        int v = Integer.parseInt(d) * (neg ? -1 : 1);
        if (v < min || v > max) {
            throw error(what + " " + s + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private int u32(String s, String what) throws NftablesException {
        String t = s;
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
            radix = 16;
        }
        if (t.isEmpty() || t.length() > (radix == 16 ? 8 : 10)) {
            throw error("bad " + what + " \"" + s + "\"");
        }
        long v = 0;
        for (int i = 0; i < t.length(); i++) {
            int dgt = Character.digit(t.charAt(i), radix);
            if (dgt < 0) {
                throw error("bad " + what + " \"" + s + "\"");
            }
            v = v * radix + dgt;
        }
        if (v > 0xFFFFFFFFL) {
            throw error(what + " " + s + " is out of range");
        }
        return (int) v;
    }

    private int addr(String s) throws NftablesException {
        try {
            return Ip4.parse(s);
        } catch (IllegalArgumentException e) {
            throw error("bad address \"" + s + "\": " + e.getMessage());
        }
    }

    private int[] prefix(String s) throws NftablesException {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new int[] {addr(s), -1};
        }
        return new int[] {addr(s.substring(0, slash)), integer(s.substring(slash + 1), "prefix length", 0, 32)};
    }

    private int proto(String s) throws NftablesException {
        switch (s) {
            case "tcp":
                return IpProto.TCP;
            case "udp":
                return IpProto.UDP;
            case "icmp":
                return IpProto.ICMP;
            default:
                throw error("unsupported protocol \"" + s + "\" (tcp, udp, icmp)");
        }
    }

    // ------------------------------------------------------------------ sets and maps
    private void setDecl(Model.Table t, String name, boolean isMap, boolean create) throws NftablesException {
        if (t.sets.containsKey(name)) {
            if (create) {
                throw error("set \"" + name + "\" already exists");
            }
            skipBlock();
            endOfCommand();
            return;
        }
        expect("{");
        Model.NamedSet s = null;
        boolean interval = false;
        long timeoutNs = 0;
        while (true) {
            skipNewlines();
            if (accept(";")) {
                continue;
            }
            if (accept("}")) {
                break;
            }
            String w = word("set property");
            switch (w) {
                case "type": {
                    if (s != null) {
                        throw error("set \"" + name + "\" has two types");
                    }
                    List<Integer> ts = new ArrayList<>();
                    ts.add(keyType(word("type")));
                    while (accept(".")) {
                        ts.add(keyType(word("type")));
                    }
                    if (isMap) {
                        expect(":");
                        if (!word("map data type").equals("verdict")) {
                            throw error("only verdict maps are modelled");
                        }
                    }
                    s = new Model.NamedSet(name, ts.stream().mapToInt(Integer::intValue).toArray(), isMap);
                    s.timeoutNs = timeoutNs;
                    break;
                }
                case "flags":
                    do {
                        String f = word("flag");
                        if (f.equals("interval")) {
                            interval = true;
                        } else if (!f.equals("dynamic") && !f.equals("timeout") && !f.equals("constant")) {
                            throw error("unsupported set flag \"" + f + "\"");
                        }
                    } while (accept(","));
                    break;
                case "timeout":
                    timeoutNs = duration(word("timeout"));
                    if (s != null) {
                        s.timeoutNs = timeoutNs;
                    }
                    break;
                case "size":
                case "policy":
                    word(w);
                    break;
                case "comment":
                    word("comment");
                    break;
                case "elements":
                    if (s == null) {
                        throw error("set \"" + name + "\" needs its type before its elements");
                    }
                    expect("=");
                    s.interval = interval;
                    elementBlock(t, s, true);
                    break;
                default:
                    throw error("unsupported set property \"" + w + "\"");
            }
        }
        if (s == null) {
            throw error("set \"" + name + "\" has no type");
        }
        if (isMap && interval) {
            throw error("interval maps are not modelled");
        }
        if (interval && !s.interval && !s.elements.isEmpty()) {
            throw error("flags interval must come before the elements");
        }
        s.interval = interval;
        t.sets.put(name, s);
        endOfCommand();
    }

    /** {@code 10800s}, {@code 3h}, {@code 1d2h3m4s}, {@code 500ms}. */
    private long duration(String w) throws NftablesException {
        long total = 0;
        int i = 0;
        if (w.isEmpty()) {
            throw error("bad timeout \"" + w + "\"");
        }
        while (i < w.length()) {
            int j = i;
            while (j < w.length() && Character.isDigit(w.charAt(j))) {
                j++;
            }
            if (j == i || j - i > 9) {
                throw error("bad timeout \"" + w + "\"");
            }
            long v = Long.parseLong(w.substring(i, j));
            int k = j;
            while (k < w.length() && Character.isLetter(w.charAt(k))) {
                k++;
            }
            long unit = switch (w.substring(j, k)) {
                case "d" -> 86_400_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s", "" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                default -> throw error("bad timeout \"" + w + "\"");
            };
            total += v * unit;
            i = k;
        }
        return total;
    }

    private void skipBlock() throws NftablesException {
        if (!accept("{")) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            if (pos >= toks.size()) {
                throw error("\"}\" expected");
            }
            String w = toks.get(pos++).text;
            if (w.equals("{")) {
                depth++;
            } else if (w.equals("}")) {
                depth--;
            }
        }
    }

    private int keyType(String w) throws NftablesException {
        switch (w) {
            case "ipv4_addr":
                return Model.T_ADDR;
            case "inet_proto":
                return Model.T_PROTO;
            case "inet_service":
                return Model.T_SERVICE;
            default:
                throw error("unsupported set type \"" + w + "\"");
        }
    }

    private void elements(Model.Table t, String name, boolean add) throws NftablesException {
        Model.NamedSet s = set(t, name);
        elementBlock(t, s, add);
    }

    /** {@code { key [comment "x"] [: verdict], ... }}; adds or deletes. */
    private void elementBlock(Model.Table t, Model.NamedSet s, boolean add) throws NftablesException {
        expect("{");
        while (true) {
            skipNewlines();
            if (accept("}")) {
                return;
            }
            if (accept(",")) {
                continue;
            }
            long key = 0;
            int[] pfx = null;
            for (int i = 0; i < s.keyTypes.length; i++) {
                if (i > 0) {
                    expect(".");
                }
                String w = word("element");
                switch (s.keyTypes[i]) {
                    case Model.T_ADDR: {
                        int[] p = prefix(w);
                        if (p[1] >= 0 && p[1] < 32) {
                            if (!s.interval || s.keyTypes.length != 1) {
                                throw error("prefix \"" + w + "\" needs a set with flags interval");
                            }
                            pfx = p;
                        }
                        key = (key << 32) | (p[0] & 0xFFFFFFFFL);
                        break;
                    }
                    case Model.T_PROTO:
                        key = (key << 8) | proto(w);
                        break;
                    default:
                        key = (key << 16) | integer(w, "port", 0, 65535);
                }
            }
            if (accept("comment")) {
                word("comment");
            }
            Model.Verdict v = Model.PRESENT;
            if (s.isMap) {
                expect(":");
                v = verdict(t, word("verdict"));
                if (v == null) {
                    throw error("verdict expected in map \"" + s.name + "\"");
                }
            } else if (peekIs(":")) {
                throw error("\"" + s.name + "\" is a set, not a map");
            }
            if (add) {
                if (pfx != null) {
                    s.prefixes.add(pfx);
                } else {
                    s.elements.put(key, v);
                    if (s.keyTypes.length == 1 && s.keyTypes[0] == Model.T_ADDR) {
                        s.addAddr((int) key, now);
                    }
                }
            } else {
                if (pfx != null) {
                    int[] f = pfx;
                    if (!s.prefixes.removeIf(p -> p[0] == f[0] && p[1] == f[1])) {
                        throw error("element does not exist in \"" + s.name + "\"");
                    }
                } else {
                    if (s.elements.remove(key) == null) {
                        throw error("element does not exist in \"" + s.name + "\"");
                    }
                    if (s.keyTypes.length == 1 && s.keyTypes[0] == Model.T_ADDR) {
                        s.addrs.remove((int) key);
                        s.expiries.remove((int) key);
                    }
                }
            }
        }
    }

    /** accept, drop, return, continue, jump X, goto X; null when the word is no verdict. */
    private Model.Verdict verdict(Model.Table t, String w) throws NftablesException {
        switch (w) {
            case "accept":
                return new Model.Verdict(Model.Verdict.ACCEPT, null);
            case "drop":
                return new Model.Verdict(Model.Verdict.DROP, null);
            case "return":
                return new Model.Verdict(Model.Verdict.RETURN, null);
            case "continue":
                return new Model.Verdict(Model.Verdict.CONTINUE, null);
            case "jump":
            case "goto": {
                String c = word("chain name");
                if (!t.chains.containsKey(c)) {
                    throw error("chain \"" + c + "\" does not exist");
                }
                return new Model.Verdict(w.equals("jump") ? Model.Verdict.JUMP : Model.Verdict.GOTO, c);
            }
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ rules
    private void rule(Model.Table t, boolean insert) throws NftablesException {
        Model.Chain c = chain(t, word("chain name"));
        Model.Rule r = parseRule(t);
        if (insert) {
            c.rules.add(0, r);
        } else {
            c.rules.add(r);
        }
        endOfCommand();
    }

    private Model.Rule parseRule(Model.Table t) throws NftablesException {
        int ruleLine = line();
        List<Expr> exprs = new ArrayList<>();
        boolean terminal = false;
        while (!atEnd()) {
            if (terminal && !peekIs("comment") && !peekIs("counter")) {
                throw error("statement after a verdict: \"" + peek() + "\"");
            }
            String w = word("statement");
            switch (w) {
                case "ip": {
                    int f = addrField(word("ip field"));
                    if (peekIs(".")) {
                        exprs.add(concat(t, f));
                        terminal = true;
                    } else {
                        exprs.add(addrMatch(t, f));
                    }
                    break;
                }
                case "meta": {
                    String k = word("meta key");
                    if (k.equals("l4proto")) {
                        if (peekIs(".")) {
                            exprs.add(concat(t, Expr.F_L4PROTO));
                            terminal = true;
                        } else {
                            boolean neq = op();
                            exprs.add(new Expr.Cmp(Expr.F_L4PROTO, proto(word("protocol")), -1, neq, 0));
                        }
                    } else if (k.equals("mark")) {
                        exprs.add(mark());
                    } else {
                        throw error("unsupported meta key \"" + k + "\"");
                    }
                    break;
                }
                case "mark":
                    exprs.add(mark());
                    break;
                case "tcp":
                case "udp":
                case "th": {
                    String k = word("port field");
                    int f = k.equals("dport") ? Expr.F_DPORT : k.equals("sport") ? Expr.F_SPORT : -1;
                    if (f < 0) {
                        throw error("unsupported " + w + " field \"" + k + "\"");
                    }
                    boolean neq = op();
                    int port = integer(word("port"), "port", 0, 65535);
                    int p = w.equals("th") ? 0 : proto(w);
                    if (w.equals("th")) {
                        exprs.add(new Expr.TransportHeader());
                    }
                    exprs.add(new Expr.Cmp(f, port, -1, neq, p));
                    break;
                }
                case "ct": {
                    if (!word("ct key").equals("state")) {
                        throw error("only \"ct state\" is modelled");
                    }
                    boolean neq = op();
                    int bits = 0;
                    boolean braces = accept("{");
                    do {
                        String s = word("ct state");
                        switch (s) {
                            case "new" -> bits |= Expr.CtState.NEW;
                            case "established" -> bits |= Expr.CtState.ESTABLISHED;
                            case "related" -> bits |= Expr.CtState.RELATED;
                            case "invalid" -> bits |= Expr.CtState.INVALID;
                            case "untracked" -> bits |= Expr.CtState.UNTRACKED;
                            default -> throw error("bad ct state \"" + s + "\"");
                        }
                    } while (accept(","));
                    if (braces) {
                        expect("}");
                    }
                    exprs.add(new Expr.CtState(bits, neq));
                    break;
                }
                case "fib": {
                    String k = word("fib key");
                    if (!k.equals("saddr") && !k.equals("daddr")) {
                        throw error("unsupported fib key \"" + k + "\"");
                    }
                    expect("type");
                    boolean neq = op();
                    if (!word("address type").equals("local")) {
                        throw error("only \"fib ... type local\" is modelled");
                    }
                    exprs.add(new Expr.FibLocal(k.equals("saddr"), neq));
                    break;
                }
                case "numgen": {
                    String mode = word("numgen mode");
                    if (!mode.equals("random") && !mode.equals("inc")) {
                        throw error("bad numgen mode \"" + mode + "\"");
                    }
                    expect("mod");
                    int mod = integer(word("modulus"), "modulus", 1, 1 << 20);
                    expect("vmap");
                    expect("{");
                    Model.Verdict[] map = new Model.Verdict[mod];
                    while (!accept("}")) {
                        if (accept(",") || accept(NL)) {
                            continue;
                        }
                        int k = integer(word("numgen value"), "numgen value", 0, mod - 1);
                        expect(":");
                        Model.Verdict v = verdict(t, word("verdict"));
                        if (v == null) {
                            throw error("verdict expected in the numgen map");
                        }
                        map[k] = v;
                    }
                    exprs.add(new Expr.Numgen(mode.equals("random"), mod, map));
                    terminal = true;
                    break;
                }
                case "counter":
                    if (accept("packets")) {
                        word("packets");
                        expect("bytes");
                        word("bytes");
                    }
                    exprs.add(new Expr.Counter());
                    break;
                case "comment":
                    word("comment");
                    break;
                case "update":
                case "add": {
                    String ref = word("@set");
                    if (!ref.startsWith("@")) {
                        throw error(w + " needs a named set, got \"" + ref + "\"");
                    }
                    Model.NamedSet s = set(t, ref.substring(1));
                    if (s.isMap || s.keyTypes.length != 1 || s.keyTypes[0] != Model.T_ADDR) {
                        throw error("only sets of ipv4_addr can be updated from the packet path");
                    }
                    expect("{");
                    expect("ip");
                    int f = addrField(word("ip field"));
                    expect("}");
                    exprs.add(new Expr.SetUpdate(f, s.name));
                    break;
                }
                case "reject": {
                    int code = Icmp.PORT_UNREACH;
                    if (accept("with")) {
                        String k = word("reject type");
                        if (k.equals("tcp")) {
                            throw error("reject with tcp reset is not modelled");
                        }
                        if (!k.equals("icmp")) {
                            throw error("unsupported reject type \"" + k + "\"");
                        }
                        accept("type");
                        String c = word("icmp type");
                        code = switch (c) {
                            case "port-unreachable" -> Icmp.PORT_UNREACH;
                            case "host-unreachable" -> Icmp.HOST_UNREACH;
                            case "net-unreachable" -> Icmp.NET_UNREACH;
                            case "admin-prohibited" -> Icmp.PKT_FILTERED;
                            default -> throw error("unsupported icmp reject type \"" + c + "\"");
                        };
                    }
                    exprs.add(new Expr.Reject(code));
                    terminal = true;
                    break;
                }
                case "dnat":
                case "snat": {
                    accept("ip");
                    expect("to");
                    String v = word("address");
                    int colon = v.indexOf(':');
                    int a = addr(colon < 0 ? v : v.substring(0, colon));
                    NatRange r = colon < 0 ? NatRange.to(a, 0)
                            : NatRange.to(a, integer(v.substring(colon + 1), "port", 1, 65535));
                    exprs.add(new Expr.Nat(r, w.equals("dnat") ? ManipType.DST : ManipType.SRC));
                    terminal = true;
                    break;
                }
                case "masquerade": {
                    int flags = 0;
                    int lo = 0;
                    int hi = 0;
                    while (!atEnd()) {
                        if (accept("fully-random")) {
                            flags |= NatRange.PROTO_RANDOM_FULLY;
                        } else if (accept("random")) {
                            flags |= NatRange.PROTO_RANDOM;
                        } else if (accept("persistent")) {
                            flags |= NatRange.PERSISTENT;
                        } else if (accept("to")) {
                            String p = word("port range");
                            if (!p.startsWith(":")) {
                                throw error("masquerade to needs \":port[-port]\"");
                            }
                            int dash = p.indexOf('-');
                            lo = integer(dash < 0 ? p.substring(1) : p.substring(1, dash), "port", 1, 65535);
                            hi = dash < 0 ? lo : integer(p.substring(dash + 1), "port", lo, 65535);
                        } else if (peekIs(",")) {
                            pos++;
                        } else {
                            break;
                        }
                    }
                    exprs.add(new Expr.Masquerade(flags, lo, hi));
                    terminal = true;
                    break;
                }
                default: {
                    Model.Verdict v = verdict(t, w);
                    if (v == null) {
                        throw new NftablesException(toks.get(pos - 1).line, "unsupported statement \"" + w + "\"");
                    }
                    exprs.add(new Expr.Immediate(v));
                    terminal = true;
                }
            }
        }
        if (exprs.isEmpty()) {
            throw new NftablesException(ruleLine, "empty rule");
        }
        return new Model.Rule(exprs.toArray(new Expr[0]), ruleLine);
    }

    /** Optional {@code ==} / {@code !=}; returns whether negated. */
    private boolean op() {
        if (accept("!=")) {
            return true;
        }
        accept("==");
        return false;
    }

    private int addrField(String w) throws NftablesException {
        switch (w) {
            case "daddr":
                return Expr.F_DADDR;
            case "saddr":
                return Expr.F_SADDR;
            default:
                throw error("unsupported ip field \"" + w + "\"");
        }
    }

    private Expr addrMatch(Model.Table t, int f) throws NftablesException {
        boolean neq = op();
        String v = peek();
        if (v != null && v.startsWith("@")) {
            pos++;
            Model.NamedSet s = set(t, v.substring(1));
            if (s.keyTypes.length != 1 || s.keyTypes[0] != Model.T_ADDR || s.isMap) {
                throw error("set \"" + s.name + "\" is not a set of ipv4_addr");
            }
            return new Expr.AddrSet(f, s.name, null, neq);
        }
        if (accept("{")) {
            Model.NamedSet anon = new Model.NamedSet("", new int[] {Model.T_ADDR}, false);
            anon.interval = true;
            while (!accept("}")) {
                if (accept(",")) {
                    continue;
                }
                int[] p = prefix(word("address"));
                if (p[1] < 0 || p[1] == 32) {
                    anon.addrs.add(p[0]);
                } else {
                    anon.prefixes.add(p);
                }
            }
            return new Expr.AddrSet(f, null, anon, neq);
        }
        int[] p = prefix(word("address"));
        return new Expr.Cmp(f, p[0] & 0xFFFFFFFFL, p[1], neq, 0);
    }

    /** {@code ip daddr . meta l4proto . th dport vmap @map} after its first field. */
    private Expr concat(Model.Table t, int first) throws NftablesException {
        List<Integer> fields = new ArrayList<>();
        fields.add(first);
        while (accept(".")) {
            String w = word("selector");
            switch (w) {
                case "ip" -> fields.add(addrField(word("ip field")));
                case "meta" -> {
                    if (!word("meta key").equals("l4proto")) {
                        throw error("only \"meta l4proto\" is modelled in a concatenation");
                    }
                    fields.add(Expr.F_L4PROTO);
                }
                case "th", "tcp", "udp" -> {
                    String k = word("port field");
                    if (!k.equals("dport") && !k.equals("sport")) {
                        throw error("unsupported " + w + " field \"" + k + "\"");
                    }
                    fields.add(k.equals("dport") ? Expr.F_DPORT : Expr.F_SPORT);
                }
                default -> throw error("unsupported selector \"" + w + "\" in a concatenation");
            }
        }
        boolean vmap = accept("vmap");
        String ref = word("@map");
        if (!ref.startsWith("@")) {
            throw error("only named maps are modelled in a concatenation lookup, got \"" + ref + "\"");
        }
        Model.NamedSet s = set(t, ref.substring(1));
        if (s.isMap != vmap) {
            throw error(vmap ? "\"" + s.name + "\" is not a verdict map" : "\"" + s.name + "\" is a map: use vmap");
        }
        if (s.keyTypes.length != fields.size()) {
            throw error("concatenation does not match the type of \"" + s.name + "\"");
        }
        int[] fs = new int[fields.size()];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = fields.get(i);
            if (Expr.fieldType(fs[i]) != s.keyTypes[i]) {
                throw error("concatenation does not match the type of \"" + s.name + "\"");
            }
        }
        return new Expr.ConcatLookup(fs, s.name, vmap);
    }

    /** After {@code mark} / {@code meta mark}: {@code set ...}, {@code and M == V}, or a value. */
    private Expr mark() throws NftablesException {
        if (accept("set")) {
            String w = word("mark value");
            if (w.equals("mark") || w.equals("meta")) {
                if (w.equals("meta") && !word("meta key").equals("mark")) {
                    throw error("only \"meta mark\" is modelled here");
                }
                String o = word("operator");
                int v = u32(word("mark"), "mark");
                return switch (o) {
                    case "or", "|" -> new Expr.MarkSet(~v, v);
                    case "xor", "^" -> new Expr.MarkSet(-1, v);
                    case "and", "&" -> new Expr.MarkSet(v, 0);
                    default -> throw error("unsupported mark operator \"" + o + "\"");
                };
            }
            return new Expr.MarkSet(0, u32(w, "mark"));
        }
        int mask = -1;
        if (accept("and") || accept("&")) {
            mask = u32(word("mask"), "mask");
        }
        boolean neq = op();
        int v = u32(word("mark"), "mark");
        return new Expr.MarkCmp(mask, v, neq);
    }

    // ------------------------------------------------------------------ commit checks
    private void validateLoops() throws NftablesException {
        for (Map.Entry<String, Model.Table> e : work.entrySet()) {
            Model.Table t = e.getValue();
            if (t == null) {
                continue;
            }
            for (Model.Chain c : t.chains.values()) {
                if (c.isBase()) {
                    walk(t, c, new HashSet<>());
                }
            }
        }
    }

    private void walk(Model.Table t, Model.Chain c, Set<String> path) throws NftablesException {
        path.add(c.name);
        for (Model.Rule r : c.rules) {
            List<Model.Verdict> vs = new ArrayList<>();
            for (Expr x : r.exprs) {
                x.targets(vs);
                if (x instanceof Expr.ConcatLookup l && l.vmap) {
                    Model.NamedSet s = t.sets.get(l.setName);
                    if (s == null) {
                        throw new NftablesException(r.line, "map \"" + l.setName + "\" used in chain " + c.name + " was deleted");
                    }
                    vs.addAll(s.elements.values());
                }
                if (x instanceof Expr.AddrSet a && a.setName != null && !t.sets.containsKey(a.setName)) {
                    throw new NftablesException(r.line, "set \"" + a.setName + "\" used in chain " + c.name + " was deleted");
                }
                if (x instanceof Expr.SetUpdate u && !t.sets.containsKey(u.setName)) {
                    throw new NftablesException(r.line, "set \"" + u.setName + "\" used in chain " + c.name + " was deleted");
                }
            }
            for (Model.Verdict v : vs) {
                if (v.chainName == null) {
                    continue;
                }
                Model.Chain next = t.chains.get(v.chainName);
                if (next == null) {
                    throw new NftablesException(r.line, "chain \"" + v.chainName + "\" used from " + c.name + " was deleted");
                }
                if (next.isBase()) {
                    throw new NftablesException(r.line, "can't jump to base chain \"" + v.chainName + "\"");
                }
                if (path.contains(next.name)) {
                    throw new NftablesException(r.line, "loop: chain \"" + next.name + "\" is reached from itself");
                }
                walk(t, next, path);
            }
        }
        path.remove(c.name);
    }
}
