package io.svclab.net.ipvs;

import io.svclab.net.Packet;

import java.util.List;

/**
 * The IPVS scheduling modules ({@code net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,sed,nq,sh,dh,mh}.c}),
 * each written after its kernel file: the same walk over the destination list (kernel order,
 * newest first), the same eligibility tests (weight, {@link IpvsDest#FLAG_OVERLOAD}) and tie
 * breaks, and for the hashing modules the kernel's hash functions ({@link KernelHash}).
 */
public final class IpvsSchedulers {

    /** The names {@link #create(String)} accepts, in ipvsadm's order. */
    public static final List<String> NAMES = List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "dh", "mh");

    /** {@code IP_VS_SH_TAB_BITS} and {@code IP_VS_DH_TAB_BITS}. */
    static final int HASH_TAB_BITS = 8;
    static final int HASH_TAB_SIZE = 1 << HASH_TAB_BITS;
    /** {@code IP_VS_MH_TAB_SIZE} for {@code CONFIG_IP_VS_MH_TAB_INDEX=12}. */
    public static final int MH_TAB_SIZE = 4093;
    /** {@code IP_VS_MH_TAB_BITS} = {@code CONFIG_IP_VS_MH_TAB_INDEX / 2}. */
    static final int MH_TAB_BITS = 6;

    private IpvsSchedulers() {
    }

    /** A fresh scheduler instance for one service, or null for an unknown name. */
    public static IpvsScheduler create(String name) {
        switch (name) {
            case "rr":
                return new Rr();
            case "wrr":
                return new Wrr();
            case "lc":
                return new Lc();
            case "wlc":
                return new Wlc(false);
            case "sed":
                return new Wlc(true);
            case "nq":
                return new Nq();
            case "sh":
                return new Sh();
            case "dh":
                return new Dh();
            case "mh":
                return new Mh();
            default:
                return null;
        }
    }

    static boolean overloaded(IpvsDest d) {
        return (d.flags & IpvsDest.FLAG_OVERLOAD) != 0;
    }

    /** Base with no-op hooks. */
    abstract static class Base implements IpvsScheduler {
        @Override
        public void initService(IpvsService svc) {
        }

        @Override
        public void addDest(IpvsService svc, IpvsDest dest) {
        }

        @Override
        public void delDest(IpvsService svc, IpvsDest dest, int formerIndex) {
        }

        @Override
        public void updDest(IpvsService svc, IpvsDest dest) {
        }
    }

    /** {@code ip_vs_rr.c}: a cursor into the list; the walk starts after it and ends on it. */
    /**
     * The hashing schedulers (sh, dh, mh) rebuild their lookup table from the service's destination
     * list whenever it changes ({@code ip_vs_*_init_svc}, {@code ip_vs_*_dest_changed}).
     */
    abstract static class Rebuilding extends Base {

        /** Rebuilds the table from {@code svc.dests}. */
        abstract void reassign(IpvsService svc);

        @Override
        public void initService(IpvsService svc) {
            reassign(svc);
        }

        @Override
        public void addDest(IpvsService svc, IpvsDest dest) {
            reassign(svc);
        }

        @Override
        public void delDest(IpvsService svc, IpvsDest dest, int formerIndex) {
            reassign(svc);
        }

        @Override
        public void updDest(IpvsService svc, IpvsDest dest) {
            reassign(svc);
        }
    }

    static final class Rr extends Base {
        /** {@code sched_data}: the last chosen dest, or null for the list head. */
        IpvsDest cursor;

        @Override
        public String name() {
            return "rr";
        }

        @Override
        public void initService(IpvsService svc) {
            cursor = null;
        }

        @Override
        public void delDest(IpvsService svc, IpvsDest dest, int formerIndex) {
            if (cursor == dest) {
                cursor = formerIndex > 0 ? svc.dests.get(formerIndex - 1) : null;
            }
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            List<IpvsDest> l = svc.dests;
            int n = l.size();
            int start = cursor == null ? -1 : l.indexOf(cursor);
            if (cursor != null && start < 0) {
                start = -1;
            }
            // first pass: after the cursor to the end; second pass (only if not at head): up to the cursor
            for (int i = start + 1; i < n; i++) {
                IpvsDest d = l.get(i);
                if (!overloaded(d) && d.weight > 0) {
                    cursor = d;
                    return d;
                }
            }
            if (start >= 0) {
                for (int i = 0; i <= start; i++) {
                    IpvsDest d = l.get(i);
                    if (!overloaded(d) && d.weight > 0) {
                        cursor = d;
                        return d;
                    }
                }
            }
            return null;
        }
    }

    /** {@code ip_vs_wrr.c}: current dest, current weight, max weight, gcd. */
    static final class Wrr extends Base {
        /** Index of {@code mark->cl} in the list, -1 for the list head. */
        int cl = -1;
        int cw;
        int mw;
        int di = 1;
        boolean initialised;

        @Override
        public String name() {
            return "wrr";
        }

        private static int gcd(int a, int b) {
            while (b != 0) {
                int t = a % b;
                a = b;
                b = t;
            }
            return a;
        }

        private static int gcdWeight(IpvsService svc) {
            int g = 0;
            for (IpvsDest d : svc.dests) {
                int w = d.weight;
                if (w > 0) {
                    g = g > 0 ? gcd(w, g) : w;
                }
            }
            return g != 0 ? g : 1;
        }

        private static int maxWeight(IpvsService svc) {
            int w = 0;
            for (IpvsDest d : svc.dests) {
                if (d.weight > w) {
                    w = d.weight;
                }
            }
            return w;
        }

        @Override
        public void initService(IpvsService svc) {
            init(svc);
        }

        /** {@code ip_vs_wrr_init_svc}. */
        void init(IpvsService svc) {
            cl = -1;
            di = gcdWeight(svc);
            mw = maxWeight(svc) - (di - 1);
            cw = mw;
            initialised = true;
        }

        /** {@code ip_vs_wrr_dest_changed}. */
        private void changed(IpvsService svc) {
            if (!initialised) {
                init(svc);
                return;
            }
            cl = -1;
            di = gcdWeight(svc);
            mw = maxWeight(svc) - (di - 1);
            if (cw > mw || cw == 0) {
                cw = mw;
            } else if (di > 1) {
                cw = (cw / di) * di + 1;
            }
        }

        @Override
        public void addDest(IpvsService svc, IpvsDest dest) {
            changed(svc);
        }

        @Override
        public void delDest(IpvsService svc, IpvsDest dest, int formerIndex) {
            changed(svc);
        }

        @Override
        public void updDest(IpvsService svc, IpvsDest dest) {
            changed(svc);
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            if (!initialised) {
                init(svc);
            }
            List<IpvsDest> l = svc.dests;
            int n = l.size();
            if (mw == 0) {
                return null;
            }
            int pos = cl;
            int last = cl;
            int stop = Integer.MIN_VALUE;
            boolean lastPass = false;
            boolean restarted = false;
            while (true) {
                for (int i = pos + 1; i < n; i++) {
                    IpvsDest d = l.get(i);
                    if (!overloaded(d) && d.weight >= cw) {
                        cl = i;
                        return d;
                    }
                    if (i == stop) {
                        cl = i;
                        return null;
                    }
                }
                pos = -1;
                cw -= di;
                if (cw <= 0) {
                    cw = mw;
                    if (lastPass || last == -1) {
                        cl = -1;
                        return null;
                    }
                    restarted = true;
                }
                lastPass = cw <= di;
                if (lastPass && restarted && last != -1) {
                    stop = last;
                }
            }
        }
    }

    /** {@code ip_vs_lc.c}: least {@code (active << 8) + inactive}; ties keep the earlier dest. */
    static final class Lc extends Base {
        @Override
        public String name() {
            return "lc";
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            IpvsDest least = null;
            int loh = 0;
            for (IpvsDest d : svc.dests) {
                if (overloaded(d) || d.weight == 0) {
                    continue;
                }
                int doh = d.overhead();
                if (least == null || doh < loh) {
                    least = d;
                    loh = doh;
                }
            }
            return least;
        }
    }

    /**
     * {@code ip_vs_wlc.c} and {@code ip_vs_sed.c}: seed with the first non-overloaded dest of
     * positive weight, then replace while {@code loh * w(d) > doh * w(least)} (64-bit).
     */
    static final class Wlc extends Base {
        private final boolean sed;

        Wlc(boolean sed) {
            this.sed = sed;
        }

        @Override
        public String name() {
            return sed ? "sed" : "wlc";
        }

        private long overhead(IpvsDest d) {
            return sed ? d.activeConns + 1 : d.overhead();
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            List<IpvsDest> l = svc.dests;
            int n = l.size();
            int i = 0;
            IpvsDest least = null;
            for (; i < n; i++) {
                IpvsDest d = l.get(i);
                if (!overloaded(d) && d.weight > 0) {
                    least = d;
                    break;
                }
            }
            if (least == null) {
                return null;
            }
            long loh = overhead(least);
            for (i++; i < n; i++) {
                IpvsDest d = l.get(i);
                if (overloaded(d)) {
                    continue;
                }
                long doh = overhead(d);
                if (loh * d.weight > doh * least.weight) {
                    least = d;
                    loh = doh;
                }
            }
            return least;
        }
    }

    /** {@code ip_vs_nq.c}: an idle dest (no active connections) at once, else as sed. */
    static final class Nq extends Base {
        @Override
        public String name() {
            return "nq";
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            IpvsDest least = null;
            long loh = 0;
            for (IpvsDest d : svc.dests) {
                if (overloaded(d) || d.weight == 0) {
                    continue;
                }
                long doh = d.activeConns + 1;
                if (d.activeConns == 0) {
                    return d;
                }
                if (least == null || loh * d.weight > doh * least.weight) {
                    least = d;
                    loh = doh;
                }
            }
            return least;
        }
    }

    static boolean hashUnavailable(IpvsDest d) {
        return d.weight <= 0 || overloaded(d);
    }

    /**
     * {@code ip_vs_sh.c}: 256 buckets, each dest filling {@code max(weight, 1)} consecutive buckets;
     * bucket = {@code (offset + hash_32(port + saddr, 8)) % 256}. Flags: sh-fallback
     * ({@link IpvsService#FLAG_SCHED1}), sh-port ({@link IpvsService#FLAG_SCHED2}).
     */
    static final class Sh extends Rebuilding {
        final IpvsDest[] buckets = new IpvsDest[HASH_TAB_SIZE];

        @Override
        public String name() {
            return "sh";
        }

        static int hashkey(int addr, int port, int offset) {
            return (offset + KernelHash.hash32(port + addr, HASH_TAB_BITS)) % HASH_TAB_SIZE;
        }

        /** {@code ip_vs_sh_reassign}. */
        @Override
        void reassign(IpvsService svc) {
            List<IpvsDest> l = svc.dests;
            int n = l.size();
            int p = 0;
            int count = 0;
            for (int i = 0; i < HASH_TAB_SIZE; i++) {
                if (n == 0) {
                    buckets[i] = null;
                    continue;
                }
                if (p == n) {
                    p = 0;
                }
                IpvsDest d = l.get(p);
                buckets[i] = d;
                if (++count >= d.weight) {
                    p++;
                    count = 0;
                }
            }
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            int port = (svc.flags & IpvsService.FLAG_SCHED2) != 0 ? p.sport : 0;
            int ihash = hashkey(p.src, port, 0);
            IpvsDest d = buckets[ihash];
            if ((svc.flags & IpvsService.FLAG_SCHED1) == 0) {
                return d == null || hashUnavailable(d) ? null : d;
            }
            if (d == null) {
                return null;
            }
            if (!hashUnavailable(d)) {
                return d;
            }
            for (int offset = 0; offset < HASH_TAB_SIZE; offset++) {
                int roffset = (offset + ihash) % HASH_TAB_SIZE;
                IpvsDest x = buckets[hashkey(p.src, port, roffset)];
                if (x == null) {
                    break;
                }
                if (!hashUnavailable(x)) {
                    return x;
                }
            }
            return null;
        }
    }

    /**
     * {@code ip_vs_dh.c}: 256 buckets filled one per dest in list order; bucket =
     * {@code hash_32(daddr, 8)} of the packet's destination (the virtual address).
     */
    static final class Dh extends Rebuilding {
        final IpvsDest[] buckets = new IpvsDest[HASH_TAB_SIZE];

        @Override
        public String name() {
            return "dh";
        }

        @Override
        void reassign(IpvsService svc) {
            List<IpvsDest> l = svc.dests;
            int n = l.size();
            for (int i = 0; i < HASH_TAB_SIZE; i++) {
                buckets[i] = n == 0 ? null : l.get(i % n);
            }
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            IpvsDest d = buckets[KernelHash.hash32(p.dst, HASH_TAB_BITS)];
            if (d == null || !d.available() || d.weight <= 0 || overloaded(d)) {
                return null;
            }
            return d;
        }
    }

    /**
     * {@code ip_vs_mh.c}: Maglev lookup table of 4093 slots built from {@code last_weight}, hashes by
     * {@code hsiphash} with the fixed keys {@code 2654435761} and {@code 2654446892}. Flags:
     * mh-fallback ({@link IpvsService#FLAG_SCHED1}), mh-port ({@link IpvsService#FLAG_SCHED2}).
     */
    static final class Mh extends Rebuilding {
        static final long KEY1 = 2654435761L;
        static final long KEY2 = 2654446892L;
        final IpvsDest[] lookup = new IpvsDest[MH_TAB_SIZE];

        @Override
        public String name() {
            return "mh";
        }

        static long hashkey(int addr, int port, long key, int offset) {
            int v = offset + port + addr;
            return KernelHash.hsiphash32(v, key, key);
        }

        private static int gcd(int a, int b) {
            while (b != 0) {
                int t = a % b;
                a = b;
                b = t;
            }
            return a;
        }

        /** {@code ip_vs_mh_dest_changed}: gcd, shift, permutation, population. */
        @Override
        void reassign(IpvsService svc) {
            List<IpvsDest> l = svc.dests;
            int n = l.size();
            int g = 0;
            for (IpvsDest d : l) {
                if (d.lastWeight > 0) {
                    g = g > 0 ? gcd(d.lastWeight, g) : d.lastWeight;
                }
            }
            if (g < 1) {
                java.util.Arrays.fill(lookup, null);
                return;
            }
            int mwAll = 0;
            for (IpvsDest d : l) {
                if (d.lastWeight > mwAll) {
                    mwAll = d.lastWeight;
                }
            }
            int mw = mwAll / g;
            int shift = (32 - Integer.numberOfLeadingZeros(mw)) - MH_TAB_BITS;
            int rshift = shift >= 0 ? shift : 0;
            int[] perm = new int[n];
            int[] skip = new int[n];
            int[] turns = new int[n];
            for (int i = 0; i < n; i++) {
                IpvsDest d = l.get(i);
                perm[i] = (int) (hashkey(d.addr, d.port, KEY1, 0) % MH_TAB_SIZE);
                skip[i] = (int) (hashkey(d.addr, d.port, KEY2, 0) % (MH_TAB_SIZE - 1)) + 1;
                int lw = d.lastWeight;
                int t = (lw / g) >> rshift;
                turns[i] = t != 0 ? t : (lw != 0 ? 1 : 0);
            }
            boolean[] used = new boolean[MH_TAB_SIZE];
            int filled = 0;
            int dtCount = 0;
            int p = 0;
            while (filled < MH_TAB_SIZE) {
                if (p == n) {
                    p = 0;
                }
                int ds = 0;
                while (p != n) {
                    if (turns[ds] < 1) {
                        p++;
                        ds++;
                        continue;
                    }
                    int c = perm[ds];
                    while (used[c]) {
                        perm[ds] += skip[ds];
                        if (perm[ds] >= MH_TAB_SIZE) {
                            perm[ds] -= MH_TAB_SIZE;
                        }
                        c = perm[ds];
                    }
                    used[c] = true;
                    lookup[c] = l.get(p);
                    if (++filled == MH_TAB_SIZE) {
                        return;
                    }
                    if (++dtCount >= turns[ds]) {
                        dtCount = 0;
                        p++;
                        ds++;
                    }
                }
            }
        }

        /** The slot a source address and port hash to ({@code ip_vs_mh_hashkey(..., hash1, 0) % M}). */
        static int slot(int addr, int port) {
            return (int) (hashkey(addr, port, KEY1, 0) % MH_TAB_SIZE);
        }

        @Override
        public IpvsDest schedule(IpvsService svc, Packet p) {
            int port = (svc.flags & IpvsService.FLAG_SCHED2) != 0 ? p.sport : 0;
            int ihash = slot(p.src, port);
            IpvsDest d = lookup[ihash];
            if ((svc.flags & IpvsService.FLAG_SCHED1) == 0) {
                return d == null || hashUnavailable(d) ? null : d;
            }
            if (d == null) {
                return null;
            }
            if (!hashUnavailable(d)) {
                return d;
            }
            for (int offset = 0; offset < MH_TAB_SIZE; offset++) {
                int roffset = (offset + ihash) % MH_TAB_SIZE;
                IpvsDest x = lookup[(int) (hashkey(p.src, port, KEY1, roffset) % MH_TAB_SIZE)];
                if (x == null) {
                    break;
                }
                if (!hashUnavailable(x)) {
                    return x;
                }
            }
            return null;
        }
    }
}
