package io.svclab.net.iptables;

import io.svclab.net.IpProto;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.CtInfo;

import java.util.Locale;
import java.util.SplittableRandom;

/** The match extensions of the supported subset, each parsing its own options like its libxt_*.c. */
final class Matches {

    private Matches() {
    }

    /** A match while its options are being read. */
    abstract static class Parsed implements Match {

        /** Consumes one option if it belongs to this match. */
        abstract boolean option(String opt, boolean invert, Args a) throws IptablesRestoreException;

        /** Final checks once the rule is read ({@code x6_fcheck} and the kernel's checkentry). */
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
        }
    }

    /** A match extension by name, or null when it is not in the subset. */
    static Parsed create(String name, SplittableRandom statisticRng, Recent.Registry recent) {
        switch (name) {
            case "recent":
                return new Recent.Match(recent);
            case "tcp":
                return new Ports("tcp", IpProto.TCP);
            case "udp":
                return new Ports("udp", IpProto.UDP);
            case "comment":
                return new Comment();
            case "statistic":
                return new Statistic(statisticRng);
            case "conntrack":
                return new Conntrack();
            case "mark":
                return new Mark();
            case "addrtype":
                return new Addrtype();
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ tcp / udp (xt_tcpudp.c)
    static final class Ports extends Parsed {
        private final String name;
        private final int proto;
        int sportMin = 0;
        int sportMax = 0xFFFF;
        boolean sportInv;
        boolean hasSport;
        int dportMin = 0;
        int dportMax = 0xFFFF;
        boolean dportInv;
        boolean hasDport;
        int flagMask;
        int flagComp;
        boolean flagsInv;
        boolean hasFlags;

        Ports(String name, int proto) {
            this.name = name;
            this.proto = proto;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        boolean option(String opt, boolean invert, Args a) throws IptablesRestoreException {
            switch (opt) {
                case "--sport":
                case "--source-port": {
                    if (hasSport) {
                        throw a.error("option \"" + opt + "\" given twice");
                    }
                    int[] r = range(opt, a.value(opt), a);
                    sportMin = r[0];
                    sportMax = r[1];
                    sportInv = invert;
                    hasSport = true;
                    return true;
                }
                case "--dport":
                case "--destination-port": {
                    if (hasDport) {
                        throw a.error("option \"" + opt + "\" given twice");
                    }
                    int[] r = range(opt, a.value(opt), a);
                    dportMin = r[0];
                    dportMax = r[1];
                    dportInv = invert;
                    hasDport = true;
                    return true;
                }
                case "--tcp-flags":
                    if (proto != IpProto.TCP) {
                        return false;
                    }
                    flagMask = flags(opt, a.value(opt), a);
                    flagComp = flags(opt, a.value(opt), a);
                    flagsInv = invert;
                    hasFlags = true;
                    return true;
                case "--syn":
                    if (proto != IpProto.TCP) {
                        return false;
                    }
                    flagMask = TcpFlags.SYN | TcpFlags.RST | TcpFlags.ACK | TcpFlags.FIN;
                    flagComp = TcpFlags.SYN;
                    flagsInv = invert;
                    hasFlags = true;
                    return true;
                default:
                    return false;
            }
        }

        private static int[] range(String opt, String v, Args a) throws IptablesRestoreException {
            int colon = v.indexOf(':');
            if (colon < 0) {
                int p = (int) a.number(opt, v, 0, 65535);
                return new int[] {p, p};
            }
            String lo = v.substring(0, colon);
            String hi = v.substring(colon + 1);
            int l = lo.isEmpty() ? 0 : (int) a.number(opt, lo, 0, 65535);
            int h = hi.isEmpty() ? 65535 : (int) a.number(opt, hi, 0, 65535);
            if (l > h) {
                throw a.error("invalid port range \"" + v + "\" for " + opt);
            }
            return new int[] {l, h};
        }

        private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};

        private static int flags(String opt, String v, Args a) throws IptablesRestoreException {
            if (v.equals("NONE")) {
                return 0;
            }
            if (v.equals("ALL")) {
                return 0x3F;
            }
            int f = 0;
            for (String s : v.split(",", -1)) {
                int bit = -1;
                for (int i = 0; i < FLAG_NAMES.length; i++) {
                    if (FLAG_NAMES[i].equals(s.toUpperCase(Locale.ROOT))) {
                        bit = 1 << i;
                    }
                }
                if (bit < 0) {
                    throw a.error("unknown TCP flag \"" + s + "\" for " + opt);
                }
                f |= bit;
            }
            return f;
        }

        @Override
        void finish(Args a, int ruleProto, boolean protoInvert) throws IptablesRestoreException {
            if (ruleProto != proto || protoInvert) {
                throw a.error("match \"-m " + name + "\" is only valid with \"-p " + name + "\"");
            }
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            if (hasSport && ((p.sport >= sportMin && p.sport <= sportMax) == sportInv)) {
                return false;
            }
            if (hasDport && ((p.dport >= dportMin && p.dport <= dportMax) == dportInv)) {
                return false;
            }
            return !hasFlags || (((p.tcpFlags & flagMask) == flagComp) != flagsInv);
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m ").append(name);
            if (hasSport) {
                b.append(sportInv ? " ! --sport " : " --sport ");
                ports(b, sportMin, sportMax);
            }
            if (hasDport) {
                b.append(dportInv ? " ! --dport " : " --dport ");
                ports(b, dportMin, dportMax);
            }
            if (hasFlags) {
                b.append(flagsInv ? " ! --tcp-flags " : " --tcp-flags ");
                flagList(b, flagMask);
                b.append(' ');
                flagList(b, flagComp);
            }
        }

        private static void ports(StringBuilder b, int lo, int hi) {
            b.append(lo);
            if (lo != hi) {
                b.append(':').append(hi);
            }
        }

        private static void flagList(StringBuilder b, int f) {
            if (f == 0) {
                b.append("NONE");
                return;
            }
            boolean first = true;
            for (int i = 0; i < FLAG_NAMES.length; i++) {
                if ((f & (1 << i)) != 0) {
                    if (!first) {
                        b.append(',');
                    }
                    b.append(FLAG_NAMES[i]);
                    first = false;
                }
            }
        }
    }

    // ------------------------------------------------------------------ comment (xt_comment.c)
    static final class Comment extends Parsed {
        String text;

        @Override
        public String name() {
            return "comment";
        }

        @Override
        boolean option(String opt, boolean invert, Args a) throws IptablesRestoreException {
            if (!opt.equals("--comment")) {
                return false;
            }
            if (invert) {
                throw a.error("\"--comment\" cannot be inverted");
            }
            String v = a.value(opt);
            if (v.length() > 255) {
                throw a.error("comment is longer than 255 characters");
            }
            text = v;
            return true;
        }

        @Override
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
            if (text == null) {
                throw a.error("match \"-m comment\" requires \"--comment\"");
            }
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            return true;
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m comment --comment \"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\');
                }
                b.append(c);
            }
            b.append('"');
        }
    }

    // ------------------------------------------------------------------ statistic (xt_statistic.c)
    static final class Statistic extends Parsed {
        private static final int RANDOM = 0;
        private static final int NTH = 1;
        private final SplittableRandom rng;
        int mode = -1;
        boolean invert;
        /** {@code u.random.probability}: round(p * 2^31). */
        int probability;
        boolean hasProbability;
        /** {@code u.nth.every}: N - 1. */
        int every = -1;
        int packet = -1;
        /** {@code master->count}. */
        int count;

        Statistic(SplittableRandom rng) {
            this.rng = rng;
        }

        @Override
        public String name() {
            return "statistic";
        }

        @Override
        boolean option(String opt, boolean inv, Args a) throws IptablesRestoreException {
            switch (opt) {
                case "--mode": {
                    String m = a.value(opt);
                    if (m.equals("random")) {
                        mode = RANDOM;
                    } else if (m.equals("nth")) {
                        mode = NTH;
                    } else {
                        throw a.error("bad statistic mode \"" + m + "\"");
                    }
                    return true;
                }
                case "--probability": {
                    String v = a.value(opt);
                    double d = probability(v, a);
                    probability = (int) Math.round(0x80000000L * d);
                    hasProbability = true;
                    invert |= inv;
                    return true;
                }
                case "--every": {
                    every = (int) a.number(opt, a.value(opt), 1, 0xFFFFFFFFL) - 1;
                    invert |= inv;
                    return true;
                }
                case "--packet":
                    packet = (int) a.number(opt, a.value(opt), 0, 0xFFFFFFFFL);
                    return true;
                default:
                    return false;
            }
        }

        private static double probability(String v, Args a) throws IptablesRestoreException {
            if (v.isEmpty() || v.length() > 32) {
                throw a.error("bad --probability \"" + v + "\"");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (!(c >= '0' && c <= '9') && c != '.') {
                    throw a.error("bad --probability \"" + v + "\"");
                }
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw a.error("bad --probability \"" + v + "\"");
            }
            if (d < 0 || d > 1) {
                throw a.error("--probability must be between 0 and 1, got " + v);
            }
            return d;
        }

        @Override
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
            if (mode == RANDOM) {
                if (!hasProbability || every >= 0 || packet >= 0) {
                    throw a.error("--mode random requires --probability and takes no --every/--packet");
                }
            } else if (mode == NTH) {
                if (hasProbability || every < 0) {
                    throw a.error("--mode nth requires --every and takes no --probability");
                }
                if (packet < 0) {
                    packet = 0;
                }
                if (Integer.compareUnsigned(packet, every) > 0) {
                    throw a.error("the --packet p must be 0 <= p <= n-1");
                }
                count = every - packet;
            } else {
                throw a.error("match \"-m statistic\" requires \"--mode\"");
            }
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            boolean ret = invert;
            if (mode == RANDOM) {
                if ((rng.nextInt() & 0x7FFFFFFF) < probability) {
                    ret = !ret;
                }
            } else {
                int nval = count == every ? 0 : count + 1;
                count = nval;
                if (nval == 0) {
                    ret = !ret;
                }
            }
            return ret;
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m statistic");
            if (mode == RANDOM) {
                b.append(" --mode random").append(invert ? " ! --probability " : " --probability ")
                        .append(String.format(Locale.ROOT, "%.11f", probability / 2147483648.0));
            } else {
                b.append(" --mode nth").append(invert ? " ! --every " : " --every ")
                        .append(Integer.toUnsignedLong(every) + 1).append(" --packet ")
                        .append(Integer.toUnsignedLong(packet));
            }
        }
    }

    // ------------------------------------------------------------------ conntrack --ctstate (xt_conntrack.c)
    static final class Conntrack extends Parsed {
        static final int INVALID = 1;
        static final int NEW = 2;
        static final int RELATED = 4;
        static final int ESTABLISHED = 8;
        static final int UNTRACKED = 16;
        private static final String[] NAMES = {"INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"};
        int states;
        boolean invert;

        @Override
        public String name() {
            return "conntrack";
        }

        @Override
        boolean option(String opt, boolean inv, Args a) throws IptablesRestoreException {
            if (!opt.equals("--ctstate")) {
                if (opt.startsWith("--ct")) {
                    throw a.error("unsupported option \"" + opt + "\" of \"-m conntrack\"");
                }
                return false;
            }
            if (states != 0) {
                throw a.error("option \"--ctstate\" given twice");
            }
            String v = a.value(opt);
            for (String s : v.split(",", -1)) {
                int bit = 0;
                for (int i = 0; i < NAMES.length; i++) {
                    if (NAMES[i].equalsIgnoreCase(s)) {
                        bit = 1 << i;
                    }
                }
                if (bit == 0) {
                    if (s.equalsIgnoreCase("SNAT") || s.equalsIgnoreCase("DNAT")) {
                        throw a.error("--ctstate " + s.toUpperCase(Locale.ROOT) + " is not modelled");
                    }
                    throw a.error("bad ctstate \"" + s + "\"");
                }
                states |= bit;
            }
            invert = inv;
            return true;
        }

        @Override
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
            if (states == 0) {
                throw a.error("match \"-m conntrack\" requires \"--ctstate\"");
            }
        }

        static int bit(Packet p) {
            switch (CtInfo.ctstate(p)) {
                case "NEW":
                    return NEW;
                case "ESTABLISHED":
                    return ESTABLISHED;
                case "RELATED":
                    return RELATED;
                case "UNTRACKED":
                    return UNTRACKED;
                default:
                    return INVALID;
            }
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            return ((states & bit(p)) != 0) != invert;
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m conntrack").append(invert ? " ! --ctstate " : " --ctstate ");
            boolean first = true;
            for (int i = 0; i < NAMES.length; i++) {
                if ((states & (1 << i)) != 0) {
                    if (!first) {
                        b.append(',');
                    }
                    b.append(NAMES[i]);
                    first = false;
                }
            }
        }
    }

    // ------------------------------------------------------------------ mark (xt_mark.c)
    static final class Mark extends Parsed {
        int mark;
        int mask = -1;
        boolean invert;
        boolean given;

        @Override
        public String name() {
            return "mark";
        }

        @Override
        boolean option(String opt, boolean inv, Args a) throws IptablesRestoreException {
            if (!opt.equals("--mark")) {
                return false;
            }
            String v = a.value(opt);
            int slash = v.indexOf('/');
            mark = a.u32(opt, slash < 0 ? v : v.substring(0, slash));
            mask = slash < 0 ? -1 : a.u32(opt, v.substring(slash + 1));
            invert = inv;
            given = true;
            return true;
        }

        @Override
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
            if (!given) {
                throw a.error("match \"-m mark\" requires \"--mark\"");
            }
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            return ((p.mark & mask) == mark) != invert;
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m mark").append(invert ? " ! --mark " : " --mark ");
            markMask(b, mark, mask);
        }
    }

    static void markMask(StringBuilder b, int mark, int mask) {
        b.append("0x").append(Integer.toHexString(mark));
        if (mask != -1) {
            b.append("/0x").append(Integer.toHexString(mask));
        }
    }

    // ------------------------------------------------------------------ addrtype (xt_addrtype.c), LOCAL only
    static final class Addrtype extends Parsed {
        boolean src;
        boolean srcInv;
        boolean dst;
        boolean dstInv;

        @Override
        public String name() {
            return "addrtype";
        }

        @Override
        boolean option(String opt, boolean inv, Args a) throws IptablesRestoreException {
            boolean isSrc = opt.equals("--src-type");
            if (!isSrc && !opt.equals("--dst-type")) {
                if (opt.startsWith("--limit-iface")) {
                    throw a.error("unsupported option \"" + opt + "\" of \"-m addrtype\"");
                }
                return false;
            }
            String v = a.value(opt);
            if (!v.equals("LOCAL")) {
                throw a.error("address type \"" + v + "\" is not modelled (only LOCAL)");
            }
            if (isSrc) {
                src = true;
                srcInv = inv;
            } else {
                dst = true;
                dstInv = inv;
            }
            return true;
        }

        @Override
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
            if (!src && !dst) {
                throw a.error("match \"-m addrtype\" requires \"--src-type\" or \"--dst-type\"");
            }
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            if (src && ns.isLocal(p.src) == srcInv) {
                return false;
            }
            return !dst || ns.isLocal(p.dst) != dstInv;
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m addrtype");
            if (src) {
                b.append(srcInv ? " ! --src-type LOCAL" : " --src-type LOCAL");
            }
            if (dst) {
                b.append(dstInv ? " ! --dst-type LOCAL" : " --dst-type LOCAL");
            }
        }
    }
}
