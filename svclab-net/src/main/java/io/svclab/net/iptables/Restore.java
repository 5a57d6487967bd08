package io.svclab.net.iptables;

import io.svclab.net.Icmp;
import io.svclab.net.IpProto;
import io.svclab.net.nat.NatRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One {@code iptables-restore} transaction: reads the whole text into working copies of the
 * tables it names, validating as it goes (like iptables-nft-restore, which submits the whole input
 * as one batch), and hands the copies back only when every line was accepted.
 */
final class Restore {

    private static final Set<String> UNSUPPORTED_TARGETS = Set.of("LOG", "CT", "NOTRACK", "TPROXY", "REDIRECT",
            "NETMAP", "CONNMARK", "TRACE", "AUDIT", "NFLOG", "NFQUEUE", "QUEUE", "TCPMSS", "CLASSIFY", "SET", "TEE",
            "CHECKSUM", "DSCP", "TOS", "TTL", "SECMARK", "CONNSECMARK", "HMARK", "IDLETIMER", "LED", "SYNPROXY");
    private static final Set<String> RESERVED = Set.of("ACCEPT", "DROP", "QUEUE", "RETURN", "DNAT", "SNAT",
            "MASQUERADE", "MARK", "REJECT");

    private final Map<String, Table> current;
    private final SplittableRandom statisticRng;
    private final Recent.Registry recent;
    private final boolean noflush;
    final Map<String, Table> work = new HashMap<>();

    Restore(Map<String, Table> current, SplittableRandom statisticRng, Recent.Registry recent, boolean noflush) {
        this.current = current;
        this.statisticRng = statisticRng;
        this.recent = recent;
        this.noflush = noflush;
    }

    /** Reads the text; on success {@link #work} holds the new versions of the tables it touched. */
    void run(String text) throws IptablesRestoreException {
        String[] lines = text.split("\n", -1);
        Table table = null;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("*")) {
                if (table != null) {
                    throw new IptablesRestoreException(lineNo, "COMMIT expected before \"" + trimmed + "\"");
                }
                table = openTable(lineNo, trimmed.substring(1));
                continue;
            }
            if (table == null) {
                throw new IptablesRestoreException(lineNo, "no table given (expected a \"*filter\" or \"*nat\" line)");
            }
            if (trimmed.equals("COMMIT")) {
                validate(table, lineNo);
                table = null;
                continue;
            }
            Args a = Args.split(lineNo, trimmed);
            if (trimmed.startsWith(":")) {
                chainLine(table, a);
            } else {
                command(table, a);
            }
        }
        if (table != null) {
            throw new IptablesRestoreException(lineNo, "COMMIT expected at the end of table \"" + table.name + "\"");
        }
    }

    private Table openTable(int lineNo, String name) throws IptablesRestoreException {
        switch (name) {
            case "filter":
            case "nat":
                break;
            case "mangle":
            case "raw":
            case "security":
                throw new IptablesRestoreException(lineNo, "unsupported table \"" + name + "\" (only filter and nat are modelled)");
            default:
                throw new IptablesRestoreException(lineNo, "table \"" + name + "\" does not exist");
        }
        Table t = work.get(name);
        if (t == null) {
            t = current.get(name).copy();
            work.put(name, t);
        }
        t.loaded = true;
        if (!noflush) {
            for (Chain c : t.builtins) {
                c.rules.clear();
            }
            t.user.clear();
        }
        return t;
    }

    // ------------------------------------------------------------------ ":CHAIN POLICY [p:b]"
    private void chainLine(Table t, Args a) throws IptablesRestoreException {
        String first = a.next();
        String name = first.substring(1);
        if (name.isEmpty()) {
            throw a.error("chain name expected after \":\"");
        }
        if (!a.hasNext()) {
            throw a.error("no policy given for chain \"" + name + "\"");
        }
        String policy = a.next();
        if (a.hasNext()) {
            String counters = a.next();
            if (!counters.matches("\\[[0-9]{1,19}:[0-9]{1,19}\\]")) {
                throw a.error("bad counters \"" + counters + "\"");
            }
        }
        if (a.hasNext()) {
            throw a.error("unexpected \"" + a.peek() + "\" after the chain's counters");
        }
        Chain c = t.chain(name);
        if (c != null && c.builtin) {
            if (!policy.equals("-")) {
                c.policy = policyOf(a, policy);
            }
            return;
        }
        if (!policy.equals("-")) {
            throw a.error("can't set policy \"" + policy + "\" on user chain \"" + name + "\"");
        }
        if (c != null) {
            c.rules.clear();
        } else {
            checkChainName(a, name);
            t.user.put(name, new Chain(name, false));
        }
    }

    private static int policyOf(Args a, String policy) throws IptablesRestoreException {
        if (policy.equals("ACCEPT")) {
            return Target.ACCEPT;
        }
        if (policy.equals("DROP")) {
            return Target.DROP;
        }
        throw a.error("bad policy \"" + policy + "\" (ACCEPT or DROP)");
    }

    private static void checkChainName(Args a, String name) throws IptablesRestoreException {
        if (name.length() > 28) {
            throw a.error("chain name \"" + name + "\" is longer than 28 characters");
        }
        if (name.startsWith("-") || name.startsWith("!") || RESERVED.contains(name)
                || UNSUPPORTED_TARGETS.contains(name)) {
            throw a.error("invalid chain name \"" + name + "\"");
        }
    }

    // ------------------------------------------------------------------ commands
    private void command(Table t, Args a) throws IptablesRestoreException {
        String cmd = a.next();
        switch (cmd) {
            case "-A":
            case "--append": {
                Chain c = existing(t, a, a.value(cmd));
                Rule r = rule(t, a);
                c.rules.add(r);
                return;
            }
            case "-I":
            case "--insert": {
                Chain c = existing(t, a, a.value(cmd));
                int pos = 1;
                String n = a.peek();
                if (n != null && !n.isEmpty() && Character.isDigit(n.charAt(0))) {
                    pos = (int) a.number(cmd, a.next(), 1, Integer.MAX_VALUE);
                }
                Rule r = rule(t, a);
                if (pos > c.rules.size() + 1) {
                    throw a.error("index of insertion too big (chain \"" + c.name + "\" has " + c.rules.size() + " rules)");
                }
                c.rules.add(pos - 1, r);
                return;
            }
            case "-D":
            case "--delete": {
                Chain c = existing(t, a, a.value(cmd));
                String n = a.peek();
                if (n != null && !n.isEmpty() && Character.isDigit(n.charAt(0))) {
                    int pos = (int) a.number(cmd, a.next(), 1, Integer.MAX_VALUE);
                    if (a.hasNext()) {
                        throw a.error("unexpected \"" + a.peek() + "\" after the rule number");
                    }
                    if (pos > c.rules.size()) {
                        throw a.error("index of deletion too big (chain \"" + c.name + "\" has " + c.rules.size() + " rules)");
                    }
                    c.rules.remove(pos - 1);
                    return;
                }
                Rule r = rule(t, a);
                for (Iterator<Rule> it = c.rules.iterator(); it.hasNext(); ) {
                    if (it.next().spec.equals(r.spec)) {
                        it.remove();
                        return;
                    }
                }
                throw a.error("bad rule (does a matching rule exist in chain \"" + c.name + "\"?)");
            }
            case "-F":
            case "--flush": {
                if (!a.hasNext()) {
                    for (Chain c : t.all()) {
                        c.rules.clear();
                    }
                    return;
                }
                Chain c = existing(t, a, a.next());
                noMore(a);
                c.rules.clear();
                return;
            }
            case "-N":
            case "--new-chain": {
                String name = a.value(cmd);
                noMore(a);
                if (t.chain(name) != null) {
                    throw a.error("chain \"" + name + "\" already exists");
                }
                checkChainName(a, name);
                t.user.put(name, new Chain(name, false));
                return;
            }
            case "-X":
            case "--delete-chain": {
                if (!a.hasNext()) {
                    for (Chain b : t.builtins) {
                        for (Rule r : b.rules) {
                            if (r.target.kind == Target.JUMP || r.target.kind == Target.GOTO) {
                                throw a.error("can't delete chain \"" + r.target.name + "\": it is referenced from " + b.name);
                            }
                        }
                    }
                    for (Chain c : t.user.values()) {
                        if (!c.rules.isEmpty()) {
                            throw a.error("can't delete chain \"" + c.name + "\": it is not empty");
                        }
                    }
                    t.user.clear();
                    return;
                }
                Chain c = existing(t, a, a.next());
                noMore(a);
                if (c.builtin) {
                    throw a.error("can't delete built-in chain \"" + c.name + "\"");
                }
                if (!c.rules.isEmpty()) {
                    throw a.error("can't delete chain \"" + c.name + "\": it is not empty");
                }
                for (Chain o : t.all()) {
                    for (Rule r : o.rules) {
                        if ((r.target.kind == Target.JUMP || r.target.kind == Target.GOTO) && r.target.name.equals(c.name)) {
                            throw a.error("can't delete chain \"" + c.name + "\": it is referenced from " + o.name);
                        }
                    }
                }
                t.user.remove(c.name);
                return;
            }
            case "-P":
            case "--policy": {
                Chain c = existing(t, a, a.value(cmd));
                String p = a.value(cmd);
                noMore(a);
                if (!c.builtin) {
                    throw a.error("can't set policy on user chain \"" + c.name + "\"");
                }
                c.policy = policyOf(a, p);
                return;
            }
            default:
                throw a.error("unsupported command \"" + cmd + "\"");
        }
    }

    private static void noMore(Args a) throws IptablesRestoreException {
        if (a.hasNext()) {
            throw a.error("unexpected \"" + a.peek() + "\"");
        }
    }

    private static Chain existing(Table t, Args a, String name) throws IptablesRestoreException {
        Chain c = t.chain(name);
        if (c == null) {
            throw a.error("chain \"" + name + "\" does not exist in table " + t.name);
        }
        return c;
    }

    // ------------------------------------------------------------------ rule specification
    private Rule rule(Table t, Args a) throws IptablesRestoreException {
        Rule r = new Rule();
        List<Matches.Parsed> matches = new ArrayList<>();
        boolean invert = false;
        boolean hasProto = false;
        boolean hasTarget = false;
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("!")) {
                if (invert) {
                    throw a.error("multiple \"!\" flags not allowed");
                }
                invert = true;
                continue;
            }
            switch (w) {
                case "-s":
                case "--source":
                case "--src": {
                    if (r.srcLen >= 0) {
                        throw a.error("multiple -s flags not allowed");
                    }
                    int[] pr = a.prefix(w, a.value(w));
                    r.src = pr[0];
                    r.srcLen = pr[1];
                    r.srcInv = invert;
                    break;
                }
                case "-d":
                case "--destination":
                case "--dst": {
                    if (r.dstLen >= 0) {
                        throw a.error("multiple -d flags not allowed");
                    }
                    int[] pr = a.prefix(w, a.value(w));
                    r.dst = pr[0];
                    r.dstLen = pr[1];
                    r.dstInv = invert;
                    break;
                }
                case "-p":
                case "--protocol": {
                    if (hasProto) {
                        throw a.error("multiple -p flags not allowed");
                    }
                    String p = a.value(w);
                    switch (p) {
                        case "tcp":
                        case "6":
                            r.proto = IpProto.TCP;
                            break;
                        case "udp":
                        case "17":
                            r.proto = IpProto.UDP;
                            break;
                        case "icmp":
                        case "1":
                            r.proto = IpProto.ICMP;
                            break;
                        case "all":
                        case "0":
                            r.proto = 0;
                            break;
                        default:
                            throw a.error("unsupported protocol \"" + p + "\" (tcp, udp, icmp, all)");
                    }
                    r.protoInv = invert;
                    hasProto = true;
                    break;
                }
                case "-i":
                case "--in-interface":
                    if (r.inIface != null) {
                        throw a.error("multiple -i flags not allowed");
                    }
                    r.inIface = iface(a, a.value(w));
                    r.inInv = invert;
                    break;
                case "-o":
                case "--out-interface":
                    if (r.outIface != null) {
                        throw a.error("multiple -o flags not allowed");
                    }
                    r.outIface = iface(a, a.value(w));
                    r.outInv = invert;
                    break;
                case "-m":
                case "--match": {
                    if (invert) {
                        throw a.error("unexpected \"!\" before -m");
                    }
                    String name = a.value(w);
                    Matches.Parsed m = Matches.create(name, statisticRng, recent);
                    if (m == null) {
                        throw a.error("unsupported match \"-m " + name + "\"");
                    }
                    matches.add(m);
                    break;
                }
                case "-j":
                case "--jump":
                case "-g":
                case "--goto": {
                    if (invert) {
                        throw a.error("unexpected \"!\" before " + w);
                    }
                    if (hasTarget) {
                        throw a.error("multiple -j or -g flags not allowed");
                    }
                    r.target = target(t, a, a.value(w), w.equals("-g") || w.equals("--goto"));
                    hasTarget = true;
                    break;
                }
                default:
                    if (!w.startsWith("--")) {
                        throw a.error("bad argument \"" + w + "\"");
                    }
                    option(r, matches, a, w, invert, hasProto);
            }
            invert = false;
        }
        if (invert) {
            throw a.error("\"!\" at the end of the rule");
        }
        for (Matches.Parsed m : matches) {
            m.finish(a, r.proto, r.protoInv);
        }
        finishTarget(t, a, r);
        r.matches = matches.toArray(new Match[0]);
        r.fixSpec();
        return r;
    }

    private static String iface(Args a, String name) throws IptablesRestoreException {
        if (name.isEmpty() || name.length() > 15) {
            throw a.error("bad interface name \"" + name + "\"");
        }
        return name;
    }

    /** An option after its extension: the target's first, then the latest match that takes it. */
    private void option(Rule r, List<Matches.Parsed> matches, Args a, String opt, boolean invert, boolean hasProto)
            throws IptablesRestoreException {
        if (r.target.kind >= Target.DNAT && targetOption(r.target, a, opt, invert)) {
            return;
        }
        for (int i = matches.size() - 1; i >= 0; i--) {
            if (matches.get(i).option(opt, invert, a)) {
                return;
            }
        }
        if (hasProto && !r.protoInv && (r.proto == IpProto.TCP || r.proto == IpProto.UDP)) {
            // iptables loads the protocol's match implicitly when it meets one of its options
            Matches.Parsed m = Matches.create(IpProto.name(r.proto), statisticRng, recent);
            if (m.option(opt, invert, a)) {
                matches.add(m);
                return;
            }
        }
        throw a.error("unknown option \"" + opt + "\"");
    }

    private Target target(Table t, Args a, String name, boolean isGoto) throws IptablesRestoreException {
        if (isGoto) {
            Chain c = t.chain(name);
            if (c == null || c.builtin) {
                throw a.error("goto target \"" + name + "\" is not a user chain of table " + t.name);
            }
            return new Target(Target.GOTO, name);
        }
        switch (name) {
            case "ACCEPT":
                return new Target(Target.ACCEPT, name);
            case "DROP":
                return new Target(Target.DROP, name);
            case "RETURN":
                return new Target(Target.RETURN, name);
            case "DNAT":
            case "SNAT":
            case "MASQUERADE":
                if (!t.name.equals("nat")) {
                    throw a.error("target \"" + name + "\" is only valid in the nat table");
                }
                return new Target(name.equals("DNAT") ? Target.DNAT : name.equals("SNAT") ? Target.SNAT : Target.MASQUERADE, name);
            case "MARK":
                return new Target(Target.MARK, name);
            case "REJECT":
                if (!t.name.equals("filter")) {
                    throw a.error("target \"REJECT\" is only modelled in the filter table");
                }
                return new Target(Target.REJECT, name);
            default:
                break;
        }
        Chain c = t.chain(name);
        if (c != null && !c.builtin) {
            return new Target(Target.JUMP, name);
        }
        if (c != null) {
            throw a.error("can't jump to built-in chain \"" + name + "\"");
        }
        if (UNSUPPORTED_TARGETS.contains(name)) {
            throw a.error("unsupported target \"-j " + name + "\"");
        }
        throw a.error("chain \"" + name + "\" does not exist in table " + t.name + " (and is no known target)");
    }

    private static boolean targetOption(Target tg, Args a, String opt, boolean invert) throws IptablesRestoreException {
        switch (tg.kind) {
            case Target.DNAT:
            case Target.SNAT: {
                String want = tg.kind == Target.DNAT ? "--to-destination" : "--to-source";
                if (opt.equals(want)) {
                    if (tg.hasRange) {
                        throw a.error("multiple " + want + " not supported");
                    }
                    tg.range = natRange(a, opt, a.value(opt));
                    tg.hasRange = true;
                    return notInverted(a, opt, invert);
                }
                return natFlag(tg, a, opt, invert, true);
            }
            case Target.MASQUERADE:
                if (opt.equals("--to-ports")) {
                    String v = a.value(opt);
                    int dash = v.indexOf('-');
                    tg.masqMinPort = (int) a.number(opt, dash < 0 ? v : v.substring(0, dash), 1, 65535);
                    tg.masqMaxPort = dash < 0 ? tg.masqMinPort : (int) a.number(opt, v.substring(dash + 1), 1, 65535);
                    if (tg.masqMaxPort < tg.masqMinPort) {
                        throw a.error("bad port range \"" + v + "\"");
                    }
                    return notInverted(a, opt, invert);
                }
                return natFlag(tg, a, opt, invert, false);
            case Target.MARK: {
                if (tg.markGiven) {
                    throw a.error("MARK target: only one action may be given");
                }
                int v;
                int m;
                switch (opt) {
                    case "--set-xmark":
                    case "--set-mark": {
                        String s = a.value(opt);
                        int slash = s.indexOf('/');
                        v = a.u32(opt, slash < 0 ? s : s.substring(0, slash));
                        m = slash < 0 ? -1 : a.u32(opt, s.substring(slash + 1));
                        if (opt.equals("--set-mark")) {
                            m |= v;
                        }
                        break;
                    }
                    case "--or-mark":
                        v = a.u32(opt, a.value(opt));
                        m = v;
                        break;
                    case "--xor-mark":
                        v = a.u32(opt, a.value(opt));
                        m = 0;
                        break;
                    case "--and-mark":
                        v = 0;
                        m = ~a.u32(opt, a.value(opt));
                        break;
                    default:
                        return false;
                }
                tg.markValue = v;
                tg.markMask = m;
                tg.markGiven = true;
                return notInverted(a, opt, invert);
            }
            case Target.REJECT:
                if (!opt.equals("--reject-with")) {
                    return false;
                }
                String v = a.value(opt);
                switch (v) {
                    case "icmp-port-unreachable":
                    case "port-unreach":
                        tg.rejectCode = Icmp.PORT_UNREACH;
                        tg.rejectName = "icmp-port-unreachable";
                        break;
                    case "icmp-host-unreachable":
                    case "host-unreach":
                        tg.rejectCode = Icmp.HOST_UNREACH;
                        tg.rejectName = "icmp-host-unreachable";
                        break;
                    case "icmp-net-unreachable":
                    case "net-unreach":
                        tg.rejectCode = Icmp.NET_UNREACH;
                        tg.rejectName = "icmp-net-unreachable";
                        break;
                    case "icmp-admin-prohibited":
                    case "admin-prohib":
                        tg.rejectCode = Icmp.PKT_FILTERED;
                        tg.rejectName = "icmp-admin-prohibited";
                        break;
                    case "tcp-reset":
                    case "tcp-rst":
                        throw a.error("REJECT --reject-with tcp-reset is not modelled");
                    default:
                        throw a.error("unsupported --reject-with \"" + v + "\"");
                }
                return notInverted(a, opt, invert);
            default:
                return false;
        }
    }

    private static boolean natFlag(Target tg, Args a, String opt, boolean invert, boolean persistentAllowed)
            throws IptablesRestoreException {
        switch (opt) {
            case "--random":
                tg.natFlags |= NatRange.PROTO_RANDOM;
                return notInverted(a, opt, invert);
            case "--random-fully":
                tg.natFlags |= NatRange.PROTO_RANDOM_FULLY;
                return notInverted(a, opt, invert);
            case "--persistent":
                if (!persistentAllowed) {
                    return false;
                }
                tg.natFlags |= NatRange.PERSISTENT;
                return notInverted(a, opt, invert);
            default:
                return false;
        }
    }

    private static boolean notInverted(Args a, String opt, boolean invert) throws IptablesRestoreException {
        if (invert) {
            throw a.error("\"" + opt + "\" cannot be inverted");
        }
        return true;
    }

    /** {@code ip[-ip][:port[-port]]}. */
    private static NatRange natRange(Args a, String opt, String v) throws IptablesRestoreException {
        int colon = v.indexOf(':');
        String ips = colon < 0 ? v : v.substring(0, colon);
        int dash = ips.indexOf('-');
        int lo = a.address(opt, dash < 0 ? ips : ips.substring(0, dash));
        int hi = dash < 0 ? lo : a.address(opt, ips.substring(dash + 1));
        if (Integer.compareUnsigned(lo, hi) > 0) {
            throw a.error("bad address range \"" + ips + "\"");
        }
        int flags = NatRange.MAP_IPS;
        int pmin = 0;
        int pmax = 0;
        if (colon >= 0) {
            String ports = v.substring(colon + 1);
            int pd = ports.indexOf('-');
            pmin = (int) a.number(opt, pd < 0 ? ports : ports.substring(0, pd), 1, 65535);
            pmax = pd < 0 ? pmin : (int) a.number(opt, ports.substring(pd + 1), 1, 65535);
            if (pmax < pmin) {
                throw a.error("bad port range \"" + ports + "\"");
            }
            flags |= NatRange.PROTO_SPECIFIED;
        }
        return new NatRange(lo, hi, pmin, pmax, flags);
    }

    private static void finishTarget(Table t, Args a, Rule r) throws IptablesRestoreException {
        Target tg = r.target;
        switch (tg.kind) {
            case Target.DNAT:
            case Target.SNAT:
                if (!tg.hasRange) {
                    throw a.error(tg.name + " needs " + (tg.kind == Target.DNAT ? "--to-destination" : "--to-source"));
                }
                if (tg.range.has(NatRange.PROTO_SPECIFIED) && !isTcpUdp(r)) {
                    throw a.error(tg.name + ": a port needs \"-p tcp\" or \"-p udp\"");
                }
                tg.range = new NatRange(tg.range.minAddr(), tg.range.maxAddr(), tg.range.minPort(), tg.range.maxPort(),
                        tg.range.flags() | tg.natFlags);
                return;
            case Target.MASQUERADE:
                if (tg.masqMinPort != 0 && !isTcpUdp(r)) {
                    throw a.error("MASQUERADE --to-ports needs \"-p tcp\" or \"-p udp\"");
                }
                return;
            case Target.MARK:
                if (!tg.markGiven) {
                    throw a.error("MARK target needs one of --set-xmark, --set-mark, --or-mark, --xor-mark, --and-mark");
                }
                return;
            default:
        }
    }

    private static boolean isTcpUdp(Rule r) {
        return !r.protoInv && (r.proto == IpProto.TCP || r.proto == IpProto.UDP);
    }

    // ------------------------------------------------------------------ checks at COMMIT
    private static final int H_PRE = 1;
    private static final int H_IN = 2;
    private static final int H_FWD = 4;
    private static final int H_OUT = 8;
    private static final int H_POST = 16;

    private static int hookBit(String builtin) {
        switch (builtin) {
            case "PREROUTING":
                return H_PRE;
            case "INPUT":
                return H_IN;
            case "FORWARD":
                return H_FWD;
            case "OUTPUT":
                return H_OUT;
            default:
                return H_POST;
        }
    }

    /** Loops ({@code mark_source_chains}) and targets used from hooks they do not allow ({@code xt_check_target}). */
    private static void validate(Table t, int lineNo) throws IptablesRestoreException {
        Map<String, Integer> hooks = new HashMap<>();
        for (Chain b : t.builtins) {
            reach(t, b, hookBit(b.name), hooks, new HashSet<>(), lineNo);
        }
        for (Chain c : t.all()) {
            int h = c.builtin ? hookBit(c.name) : hooks.getOrDefault(c.name, 0);
            for (Rule r : c.rules) {
                int allowed;
                String where;
                switch (r.target.kind) {
                    case Target.DNAT:
                        allowed = H_PRE | H_OUT;
                        where = "PREROUTING/OUTPUT";
                        break;
                    case Target.SNAT:
                        allowed = H_POST | H_IN;
                        where = "POSTROUTING/INPUT";
                        break;
                    case Target.MASQUERADE:
                        allowed = H_POST;
                        where = "POSTROUTING";
                        break;
                    case Target.REJECT:
                        allowed = H_IN | H_FWD | H_OUT;
                        where = "INPUT/FORWARD/OUTPUT";
                        break;
                    default:
                        continue;
                }
                if ((h & ~allowed) != 0) {
                    throw new IptablesRestoreException(lineNo, r.target.name + " target in chain \"" + c.name
                            + "\" is reached from " + hookNames(h & ~allowed) + ", but only usable from " + where);
                }
            }
        }
    }

    private static String hookNames(int h) {
        StringBuilder b = new StringBuilder();
        String[] names = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"};
        for (int i = 0; i < names.length; i++) {
            if ((h & (1 << i)) != 0) {
                b.append(b.length() == 0 ? "" : "/").append(names[i]);
            }
        }
        return b.toString();
    }

    private static void reach(Table t, Chain c, int hook, Map<String, Integer> hooks, Set<String> path, int lineNo)
            throws IptablesRestoreException {
        for (Rule r : c.rules) {
            if (r.target.kind != Target.JUMP && r.target.kind != Target.GOTO) {
                continue;
            }
            String n = r.target.name;
            if (path.contains(n) || n.equals(c.name)) {
                throw new IptablesRestoreException(lineNo, "loop in table " + t.name + ": chain \"" + n
                        + "\" is reached from itself");
            }
            int before = hooks.getOrDefault(n, 0);
            if ((before & hook) != 0) {
                continue;
            }
            hooks.put(n, before | hook);
            Chain next = t.chain(n);
            if (next == null) {
                throw new IptablesRestoreException(lineNo, "chain \"" + n + "\" referenced from \"" + c.name
                        + "\" does not exist");
            }
            path.add(c.name);
            path.add(n);
            reach(t, next, hook, hooks, path, lineNo);
            path.remove(n);
            path.remove(c.name);
        }
    }
}
