package io.svclab.net.nftables;

import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.conntrack.CtInfo;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatRange;
import io.svclab.net.netfilter.Verdict;

import java.util.SplittableRandom;

/** One expression or statement of a rule ({@code struct nft_expr}), compiled. */
abstract class Expr {

    /** Go on with the next expression. */
    static final int NEXT = 0;
    /** The rule does not match ({@code NFT_BREAK}). */
    static final int BREAK = -1;
    /** A NAT statement ran: the packet is accepted and traversal ends. */
    static final int NAT_DONE = 100;

    /** Evaluates; a positive result is a {@link Model.Verdict} kind (target chain in {@code e.target}). */
    abstract int eval(Packet p, NftablesRuleset e);

    /** Binds named sets and chains of the table, once per commit. */
    void resolve(Model.Table t) {
    }

    /** Chains this expression may jump or go to (for loop checks and delete checks). */
    void targets(java.util.List<Model.Verdict> out) {
    }

    // ------------------------------------------------------------------ payload / meta selectors
    static final int F_DADDR = 0;
    static final int F_SADDR = 1;
    static final int F_L4PROTO = 2;
    static final int F_DPORT = 3;
    static final int F_SPORT = 4;

    static long field(Packet p, int f) {
        switch (f) {
            case F_DADDR:
                return p.dst & 0xFFFFFFFFL;
            case F_SADDR:
                return p.src & 0xFFFFFFFFL;
            case F_L4PROTO:
                return p.proto;
            case F_DPORT:
                return p.dport;
            default:
                return p.sport;
        }
    }

    static int fieldType(int f) {
        return f <= F_SADDR ? Model.T_ADDR : f == F_L4PROTO ? Model.T_PROTO : Model.T_SERVICE;
    }

    /** {@code ip daddr 10.0.0.1}, {@code ip saddr != 10.0.0.0/8}, {@code tcp dport 80}, {@code meta l4proto tcp}. */
    static final class Cmp extends Expr {
        final int field;
        final long value;
        final int prefix;
        final boolean neq;
        /** {@code tcp dport}: also requires the protocol. */
        final int proto;

        Cmp(int field, long value, int prefix, boolean neq, int proto) {
            this.field = field;
            this.value = value;
            this.prefix = prefix;
            this.neq = neq;
            this.proto = proto;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            if (proto != 0 && p.proto != proto) {
                return BREAK;
            }
            long v = field(p, field);
            boolean eq = prefix >= 0 ? Ip4.inPrefix((int) v, (int) value, prefix) : v == value;
            return eq != neq ? NEXT : BREAK;
        }
    }

    /** The implicit {@code meta l4proto { tcp, udp }} dependency of {@code th dport}. */
    static final class TransportHeader extends Expr {
        @Override
        int eval(Packet p, NftablesRuleset e) {
            return isTcpUdp(p.proto) ? NEXT : BREAK;
        }
    }

    /** {@code ip daddr @set}, {@code ip daddr != { 10.0.0.0/8, ... }}. */
    static final class AddrSet extends Expr {
        final int field;
        final String setName;
        final Model.NamedSet anonymous;
        final boolean neq;
        Model.NamedSet set;

        AddrSet(int field, String setName, Model.NamedSet anonymous, boolean neq) {
            this.field = field;
            this.setName = setName;
            this.anonymous = anonymous;
            this.neq = neq;
            this.set = anonymous;
        }

        @Override
        void resolve(Model.Table t) {
            if (setName != null) {
                set = t.sets.get(setName);
            }
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            return set.containsAddr((int) field(p, field), e.ns().now()) != neq ? NEXT : BREAK;
        }
    }

    /** {@code update @set { ip saddr }}: adds or refreshes the address in a dynamic set. */
    static final class SetUpdate extends Expr {
        final int field;
        final String setName;
        Model.NamedSet set;

        SetUpdate(int field, String setName) {
            this.field = field;
            this.setName = setName;
        }

        @Override
        void resolve(Model.Table t) {
            set = t.sets.get(setName);
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            set.addAddr((int) field(p, field), e.ns().now());
            return NEXT;
        }
    }

    /** {@code ip daddr . meta l4proto . th dport vmap @map} (or {@code @set} lookup without vmap). */
    static final class ConcatLookup extends Expr {
        final int[] fields;
        final String setName;
        final boolean vmap;
        Model.NamedSet set;

        ConcatLookup(int[] fields, String setName, boolean vmap) {
            this.fields = fields;
            this.setName = setName;
            this.vmap = vmap;
        }

        @Override
        void resolve(Model.Table t) {
            set = t.sets.get(setName);
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            long key = 0;
            for (int f : fields) {
                key = (key << Model.width(fieldType(f))) | field(p, f);
            }
            Model.Verdict v = set.elements.get(key);
            if (v == null) {
                return BREAK;
            }
            if (!vmap) {
                return NEXT;
            }
            e.target = v.chain;
            return v.kind;
        }
    }

    /** {@code ct state new,established}. */
    static final class CtState extends Expr {
        static final int INVALID = 1;
        static final int ESTABLISHED = 2;
        static final int RELATED = 4;
        static final int NEW = 8;
        static final int UNTRACKED = 64;
        final int bits;
        final boolean neq;

        CtState(int bits, boolean neq) {
            this.bits = bits;
            this.neq = neq;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            int b;
            switch (CtInfo.ctstate(p)) {
                case "NEW":
                    b = NEW;
                    break;
                case "ESTABLISHED":
                    b = ESTABLISHED;
                    break;
                case "RELATED":
                    b = RELATED;
                    break;
                case "UNTRACKED":
                    b = UNTRACKED;
                    break;
                default:
                    b = INVALID;
            }
            return ((bits & b) != 0) != neq ? NEXT : BREAK;
        }
    }

    /** {@code mark and 0x4000 == 0}, {@code mark 0x4000}. */
    static final class MarkCmp extends Expr {
        final int mask;
        final int value;
        final boolean neq;

        MarkCmp(int mask, int value, boolean neq) {
            this.mask = mask;
            this.value = value;
            this.neq = neq;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            return ((p.mark & mask) == value) != neq ? NEXT : BREAK;
        }
    }

    /** {@code mark set mark or 0x4000}: {@code mark = (mark & and) ^ xor}. */
    static final class MarkSet extends Expr {
        final int and;
        final int xor;

        MarkSet(int and, int xor) {
            this.and = and;
            this.xor = xor;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            p.mark = (p.mark & and) ^ xor;
            return NEXT;
        }
    }

    /** {@code fib saddr type local} / {@code fib daddr type local}. */
    static final class FibLocal extends Expr {
        final boolean saddr;
        final boolean neq;

        FibLocal(boolean saddr, boolean neq) {
            this.saddr = saddr;
            this.neq = neq;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            return e.ns().isLocal(saddr ? p.src : p.dst) != neq ? NEXT : BREAK;
        }
    }

    /** {@code numgen random mod N vmap { 0 : goto a, 1 : goto b }} ({@code nft_numgen.c}). */
    static final class Numgen extends Expr {
        final boolean random;
        final int mod;
        final Model.Verdict[] map;
        int counter;

        Numgen(boolean random, int mod, Model.Verdict[] map) {
            this.random = random;
            this.mod = mod;
            this.map = map;
            this.counter = mod - 1;
        }

        @Override
        void targets(java.util.List<Model.Verdict> out) {
            for (Model.Verdict v : map) {
                if (v != null) {
                    out.add(v);
                }
            }
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            int n;
            if (random) {
                SplittableRandom rng = e.numgenRng();
                // reciprocal_scale(prandom_u32(), modulus)
                n = (int) (((rng.nextInt() & 0xFFFFFFFFL) * mod) >>> 32);
            } else {
                counter = counter + 1 < mod ? counter + 1 : 0;
                n = counter;
            }
            Model.Verdict v = n < map.length ? map[n] : null;
            if (v == null) {
                return BREAK;
            }
            e.target = v.chain;
            return v.kind;
        }
    }

    /** {@code counter}: packets and bytes of the rule. */
    static final class Counter extends Expr {
        long packets;
        long bytes;

        @Override
        int eval(Packet p, NftablesRuleset e) {
            packets++;
            bytes += p.ipLength();
            return NEXT;
        }
    }

    /** accept, drop, return, jump, goto. */
    static final class Immediate extends Expr {
        final Model.Verdict v;

        Immediate(Model.Verdict v) {
            this.v = v;
        }

        @Override
        void targets(java.util.List<Model.Verdict> out) {
            out.add(v);
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            e.target = v.chain;
            return v.kind;
        }
    }

    /** {@code reject [with icmp type X]}: ICMP destination unreachable, then drop. */
    static final class Reject extends Expr {
        final int code;

        Reject(int code) {
            this.code = code;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            e.ns().icmpError(p, Icmp.DEST_UNREACH, code);
            return Model.Verdict.DROP;
        }
    }

    /** {@code dnat to ip[:port]}, {@code snat to ip[:port]}. */
    static final class Nat extends Expr {
        final NatRange range;
        final ManipType manip;

        Nat(NatRange range, ManipType manip) {
            this.range = range;
            this.manip = manip;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            return e.nat(p, range, manip);
        }
    }

    /** {@code masquerade [random] [fully-random] [persistent] [to :p-q]} ({@code nft_masq.c}). */
    static final class Masquerade extends Expr {
        final int flags;
        final int minPort;
        final int maxPort;
        NatRange last;

        Masquerade(int flags, int minPort, int maxPort) {
            this.flags = flags;
            this.minPort = minPort;
            this.maxPort = maxPort;
        }

        @Override
        int eval(Packet p, NftablesRuleset e) {
            NetNamespace ns = e.ns();
            int addr = io.svclab.net.nat.Masquerade.address(p, ns);
            if (addr == 0) {
                return Model.Verdict.DROP;
            }
            if (last == null || last.minAddr() != addr) {
                int f = NatRange.MAP_IPS | flags | (minPort != 0 ? NatRange.PROTO_SPECIFIED : 0);
                last = new NatRange(addr, addr, minPort, maxPort, f);
            }
            return e.nat(p, last, ManipType.SRC);
        }
    }

    static int verdictCode(Verdict v) {
        return v == Verdict.DROP ? Model.Verdict.DROP : NAT_DONE;
    }

    static boolean isTcpUdp(int proto) {
        return proto == IpProto.TCP || proto == IpProto.UDP;
    }
}
