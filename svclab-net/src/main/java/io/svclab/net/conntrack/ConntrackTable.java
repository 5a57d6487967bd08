package io.svclab.net.conntrack;

import io.svclab.kernel.Sysctl;
import io.svclab.net.NetNamespace;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The conntrack hash table of one namespace ({@code net->ct}, {@code nf_conntrack_hash}): both
 * tuples of every confirmed entry, chained in buckets keyed by the tuple packed into two longs
 * (no allocation per lookup). Unconfirmed entries live only on their packet ({@code skb->_nfct})
 * and are never found by lookups. Expiry is exact on the simulated clock: every entry is its own
 * timer at {@link io.svclab.sim.Priority#EXPIRY}, and lookups treat {@code now >= expiry} as absent
 * and reap the entry on the spot ({@code nf_ct_gc_expired}).
 */
public final class ConntrackTable {

    /** {@code NF_CT_EVICTION_RANGE}: buckets scanned by {@code early_drop}. */
    public static final int EVICTION_RANGE = 8;
    private static final int MIN_BUCKETS = 1024;
    private static final int MAX_BUCKETS = 262144;

    private final NetNamespace ns;
    private final Simulation sim;
    private Conn.TupleNode[] buckets;
    private int mask;
    private boolean fixedBuckets;
    private int count;
    private long nextId = 1;
    private final List<Consumer<Conn>> destroyListeners = new ArrayList<>(2);
    private final List<CtEventListener> eventListeners = new ArrayList<>(1);
    private final List<String> log = new ArrayList<>();
    private final Conn[] scratch = new Conn[64];

    /** Per-CPU statistics of {@code conntrack -S} (one simulated CPU). */
    long statFound;
    long statInvalid;
    long statInsert;
    long statInsertFailed;
    long statDrop;
    long statEarlyDrop;
    long statError;
    long statSearchRestart;
    long statClashResolve;
    long statChainTooLong;

    /** A table for the namespace, with the kernel's minimum of 1024 buckets, growing up to 262144. */
    public ConntrackTable(NetNamespace ns) {
        this.ns = ns;
        this.sim = ns.sim();
        this.buckets = new Conn.TupleNode[MIN_BUCKETS];
        this.mask = MIN_BUCKETS - 1;
    }

    /**
     * Fixes the bucket count ({@code nf_conntrack_buckets}, a power of two), which decides the
     * neighbourhood {@code early_drop} scans. Only while the table is empty.
     */
    public void setBuckets(int n) {
        if (count != 0 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two and the table empty");
        }
        buckets = new Conn.TupleNode[n];
        mask = n - 1;
        fixedBuckets = true;
    }

    public int buckets() {
        return buckets.length;
    }

    public NetNamespace namespace() {
        return ns;
    }

    /** Confirmed entries ({@code nf_conntrack_count}). */
    public int count() {
        return count;
    }

    /** Kernel log lines conntrack printed (e.g. "nf_conntrack: table full, dropping packet"). */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Called with every entry removed from the table (kill, expiry, flush). */
    public void addDestroyListener(Consumer<Conn> l) {
        destroyListeners.add(l);
    }

    /** Subscribes to NEW / UPDATE / DESTROY events ({@code conntrack -E}). */
    public void addEventListener(CtEventListener l) {
        eventListeners.add(l);
    }

    /** Delivers an event to the subscribers. */
    void event(CtEventListener.Type type, Conn c) {
        c.eventPending = false;
        for (int i = 0; i < eventListeners.size(); i++) {
            eventListeners.get(i).event(type, c, sim.now());
        }
    }

    /** {@code nf_ct_deliver_cached_events}: a pending UPDATE of a confirmed entry. */
    void deliverCached(Conn c) {
        if (c.eventPending && (c.status & (CtStatus.CONFIRMED | CtStatus.DYING)) == CtStatus.CONFIRMED) {
            event(CtEventListener.Type.UPDATE, c);
        }
    }

    // ------------------------------------------------------------------ hashing

    static int hash(long k1, long k2) {
        long h = k1 * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(k2 * 0xC2B2AE3D27D4EB4FL, 31);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    private int bucketOf(long k1, long k2) {
        return hash(k1, k2) & mask;
    }

    /**
     * {@code __nf_conntrack_find_get}: the live confirmed tuple node with this key, or null.
     * Expired entries met on the way are killed.
     */
    Conn.TupleNode find(long k1, long k2) {
        long now = sim.now();
        int b = bucketOf(k1, k2);
        Conn.TupleNode n = buckets[b];
        while (n != null) {
            if (n.k1 == k1 && n.k2 == k2) {
                if (now >= n.ct.expiry) {
                    delete(n.ct); // reaped on the spot; both its nodes leave the chain
                    n = buckets[b];
                    continue;
                }
                return n;
            }
            n = n.next;
        }
        return null;
    }

    /** Looks up a tuple; returns the entry (either direction) or null. */
    public Conn lookup(int proto, int src, int dst, int sport, int dport) {
        Conn.TupleNode n = find(Conn.key1(src, dst), Conn.key2(proto, sport, dport, 0));
        return n == null ? null : n.ct;
    }

    /**
     * {@code nf_conntrack_tuple_taken}: whether a live confirmed entry other than {@code ignored}
     * holds this tuple in either direction. An entry whose ORIGINAL tuple equals that of
     * {@code ignored} does not block (clash resolution). Counts stat {@code found} when taken.
     */
    public boolean tupleTaken(int proto, int src, int dst, int sport, int dport, Conn ignored) {
        Conn.TupleNode n = find(Conn.key1(src, dst), Conn.key2(proto, sport, dport, 0));
        if (n == null || n.ct == ignored) {
            return false;
        }
        Conn c = n.ct;
        if (ignored != null && c.origSrc == ignored.origSrc && c.origDst == ignored.origDst
                && c.origSport == ignored.origSport && c.origDport == ignored.origDport && c.proto == ignored.proto) {
            return false;
        }
        statFound++;
        return true;
    }

    // ------------------------------------------------------------------ allocation, confirm, delete

    /**
     * {@code __nf_conntrack_alloc}: a new unconfirmed entry, or null when the table is full and
     * {@code early_drop} freed nothing (stat drop is counted by the caller).
     */
    Conn alloc(int proto, int src, int dst, int sport, int dport) {
        int max = ns.sysctls().get(Sysctl.NET_NF_CONNTRACK_MAX);
        if (max != 0 && count + 1 > max) {
            if (!earlyDrop(bucketOf(Conn.key1(src, dst), Conn.key2(proto, sport, dport, 0)))) {
                log.add("nf_conntrack: table full, dropping packet");
                return null;
            }
        }
        boolean acct = ns.sysctls().get(Sysctl.NET_NF_CONNTRACK_ACCT) != 0;
        return new Conn(this, sim, nextId++, proto, src, dst, sport, dport, 0, acct);
    }

    /**
     * {@code early_drop}: from the new tuple's bucket, scan up to 8 buckets; in the first that
     * yields any, delete every confirmed non-ASSURED entry (reaping expired ones).
     */
    private boolean earlyDrop(int bucket) {
        long now = sim.now();
        int b = bucket;
        for (int i = 0; i < EVICTION_RANGE; i++) {
            if (i > 0) {
                b = (b + 1) & mask;
            }
            int k = 0;
            for (Conn.TupleNode n = buckets[b]; n != null && k < scratch.length; n = n.next) {
                Conn c = n.ct;
                if (now >= c.expiry) {
                    scratch[k++] = c; // expired: reaped, not counted
                } else if ((c.status & (CtStatus.ASSURED | CtStatus.DYING)) == 0) {
                    scratch[k++] = c;
                }
            }
            int drops = 0;
            for (int j = 0; j < k; j++) {
                Conn c = scratch[j];
                scratch[j] = null;
                boolean wasExpired = now >= c.expiry;
                if ((c.status & CtStatus.DYING) != 0) {
                    continue; // both tuples of one entry in the bucket
                }
                delete(c);
                if (!wasExpired) {
                    drops++;
                }
            }
            if (drops > 0) {
                statEarlyDrop += drops;
                return true;
            }
        }
        return false;
    }

    /**
     * {@code __nf_conntrack_confirm}: inserts both tuples, turns the relative timeout into an
     * absolute expiry and arms the entry's timer. Returns false on a clash (stat insert_failed;
     * the caller drops the packet).
     */
    boolean confirm(Conn c) {
        if (find(c.origNode.k1, c.origNode.k2) != null || find(c.replyNode.k1, c.replyNode.k2) != null) {
            statInsertFailed++;
            return false;
        }
        c.status |= CtStatus.CONFIRMED;
        c.expiry = sim.now() + c.timeoutRel;
        link(c.origNode);
        link(c.replyNode);
        count++;
        c.schedule(c.expiry);
        if (!eventListeners.isEmpty()) {
            event(CtEventListener.Type.NEW, c);
        }
        io.svclab.net.trace.Trace t = ns.trace();
        if (CtTrace.wanted(t, c.flowId)) {
            CtTrace.emit(t, this, c, c.flowId, io.svclab.net.trace.Decided.Kind.CT_NEW, "new entry confirmed");
        }
        c.eventPending = false;
        if (!fixedBuckets && count > buckets.length && buckets.length < MAX_BUCKETS) {
            resize(buckets.length * 2);
        }
        return true;
    }

    /**
     * Seeds a confirmed entry read from a dump ({@code /proc/net/nf_conntrack}, {@code conntrack -L})
     * as if the datapath had brought it there: both tuples, the TCP state, the status bits, and
     * {@code remainingNs} left on its timer. Window tracking is liberal in both directions (the
     * dump does not show sequence numbers); an entry in TIME_WAIT or CLOSE is taken to have been
     * closed by a FIN ({@code IP_CT_TCP_FLAG_CLOSE_INIT}), so a SYN may reopen it. Not a kernel
     * operation: used to replay a node's state ({@code svclab diagnose}, {@code run --from-dumps}).
     *
     * @param tcpState a {@link TcpConntrackTable} state, or -1 for other protocols
     * @return the entry, or null when its tuples clash with an entry already seeded
     */
    public Conn restore(int proto, int origSrc, int origDst, int origSport, int origDport, int replySrc, int replyDst,
                        int replySport, int replyDport, int tcpState, int status, long remainingNs) {
        boolean acct = ns.sysctls().get(Sysctl.NET_NF_CONNTRACK_ACCT) != 0;
        Conn c = new Conn(this, sim, nextId++, proto, origSrc, origDst, origSport, origDport, 0, acct);
        c.alterReply(replySrc, replyDst, replySport, replyDport);
        c.status |= status & ~(CtStatus.CONFIRMED | CtStatus.DYING);
        if (tcpState >= 0) {
            c.tcpState = tcpState;
            c.td[Conn.TD_FLAGS] |= Conn.TF_BE_LIBERAL;
            c.td[Conn.TD_FLAGS + 1] |= Conn.TF_BE_LIBERAL;
            if (tcpState == TcpConntrackTable.TIME_WAIT || tcpState == TcpConntrackTable.CLOSE) {
                c.td[Conn.TD_FLAGS] |= Conn.TF_CLOSE_INIT;
            }
        }
        c.timeoutRel = Math.max(1, remainingNs);
        return confirm(c) ? c : null;
    }

    /** {@code nf_ct_refresh}: a new timeout from now (relative until confirmation). */
    void refresh(Conn c, long timeoutNs) {
        if ((c.status & CtStatus.FIXED_TIMEOUT) != 0) {
            return;
        }
        if ((c.status & CtStatus.CONFIRMED) == 0) {
            c.timeoutRel = timeoutNs;
            return;
        }
        c.expiry = sim.now() + timeoutNs;
        c.schedule(c.expiry);
    }

    /** Sets an absolute expiry of a confirmed entry (timeout lowering), re-arming its timer. */
    void setExpiry(Conn c, long expiryNs) {
        c.expiry = expiryNs;
        c.schedule(expiryNs);
    }

    /**
     * {@code nf_ct_delete} / {@code nf_ct_kill}: removes a confirmed entry from the table. Returns
     * false when it was already dying.
     */
    public boolean delete(Conn c) {
        if ((c.status & CtStatus.DYING) != 0) {
            return false;
        }
        c.status |= CtStatus.DYING;
        if ((c.status & CtStatus.CONFIRMED) != 0) {
            unlink(c.origNode);
            unlink(c.replyNode);
            count--;
            io.svclab.net.trace.Trace t = ns.trace();
            if (CtTrace.wanted(t, c.flowId)) {
                CtTrace.emit(t, this, c, c.flowId, io.svclab.net.trace.Decided.Kind.CT_DESTROY,
                        sim.now() >= c.expiry ? "entry expired" : "entry deleted");
            }
            c.cancel();
            for (int i = 0; i < destroyListeners.size(); i++) {
                destroyListeners.get(i).accept(c);
            }
            if (!eventListeners.isEmpty()) {
                event(CtEventListener.Type.DESTROY, c);
            }
        }
        return true;
    }

    /** The entry's timer fired: it has expired. */
    void expired(Conn c) {
        delete(c);
    }

    /** {@code conntrack -F}: deletes every entry; returns how many. */
    public int flush() {
        List<Conn> all = entries();
        for (Conn c : all) {
            delete(c);
        }
        return all.size();
    }

    /**
     * The live confirmed entries in dump order (by id, i.e. creation order). Expired entries met
     * are killed and not returned, as a dump does.
     */
    public List<Conn> entries() {
        long now = sim.now();
        List<Conn> out = new ArrayList<>(count);
        List<Conn> dead = null;
        for (Conn.TupleNode head : buckets) {
            for (Conn.TupleNode n = head; n != null; n = n.next) {
                if (n.dir != Conn.DIR_ORIGINAL) {
                    continue;
                }
                if (now >= n.ct.expiry) {
                    if (dead == null) {
                        dead = new ArrayList<>();
                    }
                    dead.add(n.ct);
                } else {
                    out.add(n.ct);
                }
            }
        }
        if (dead != null) {
            dead.forEach(this::delete);
        }
        out.sort(Comparator.comparingLong(c -> c.id));
        return out;
    }

    // ------------------------------------------------------------------ statistics

    /** The counters of {@code conntrack -S} in its order. */
    public long[] stats() {
        return new long[] {statFound, statInvalid, statInsert, statInsertFailed, statDrop, statEarlyDrop, statError,
            statSearchRestart, statClashResolve, statChainTooLong};
    }

    public long statFound() {
        return statFound;
    }

    public long statInvalid() {
        return statInvalid;
    }

    public long statInsertFailed() {
        return statInsertFailed;
    }

    public long statDrop() {
        return statDrop;
    }

    public long statEarlyDrop() {
        return statEarlyDrop;
    }

    public long statError() {
        return statError;
    }

    // ------------------------------------------------------------------ chains

    private void link(Conn.TupleNode n) {
        int b = bucketOf(n.k1, n.k2);
        n.next = buckets[b];
        buckets[b] = n;
        n.hashed = true;
    }

    private void unlink(Conn.TupleNode n) {
        if (!n.hashed) {
            return;
        }
        int b = bucketOf(n.k1, n.k2);
        Conn.TupleNode p = buckets[b];
        if (p == n) {
            buckets[b] = n.next;
        } else {
            while (p != null && p.next != n) {
                p = p.next;
            }
            if (p != null) {
                p.next = n.next;
            }
        }
        n.next = null;
        n.hashed = false;
    }

    private void resize(int n) {
        Conn.TupleNode[] old = buckets;
        buckets = new Conn.TupleNode[n];
        mask = n - 1;
        for (Conn.TupleNode head : old) {
            Conn.TupleNode x = head;
            while (x != null) {
                Conn.TupleNode next = x.next;
                int b = bucketOf(x.k1, x.k2);
                x.next = buckets[b];
                buckets[b] = x;
                x = next;
            }
        }
    }
}
