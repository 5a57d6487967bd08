package io.svclab.net.conntrack;

import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import io.svclab.sim.Timer;

/**
 * One conntrack entry ({@code struct nf_conn}). The ORIGINAL tuple is what the first packet looked
 * like and never changes; the REPLY tuple starts as its inverse and is altered only by NAT before
 * the entry is confirmed ({@code nf_conntrack_alter_reply}). The entry is its own expiry timer:
 * it exists iff {@code now < expiry}; a refresh re-arms the timer.
 *
 * <p>Ports of ICMP tuples: {@code sport} holds the echo id, {@code dport} holds
 * {@code type << 8 | code} ({@code src.u.icmp.id}, {@code dst.u.icmp.type/code}).
 */
public final class Conn extends Timer {

    /** Direction index of the original tuple ({@code IP_CT_DIR_ORIGINAL}). */
    public static final int DIR_ORIGINAL = 0;
    /** Direction index of the reply tuple ({@code IP_CT_DIR_REPLY}). */
    public static final int DIR_REPLY = 1;

    /** {@code IP_CT_TCP_FLAG_WINDOW_SCALE}. */
    static final int TF_WINDOW_SCALE = 0x01;
    /** {@code IP_CT_TCP_FLAG_SACK_PERM}. */
    static final int TF_SACK_PERM = 0x02;
    /** {@code IP_CT_TCP_FLAG_CLOSE_INIT}: this side sent the first FIN. */
    static final int TF_CLOSE_INIT = 0x04;
    /** {@code IP_CT_TCP_FLAG_BE_LIBERAL}. */
    static final int TF_BE_LIBERAL = 0x08;
    /** {@code IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED}. */
    static final int TF_DATA_UNACKNOWLEDGED = 0x10;
    /** {@code IP_CT_TCP_FLAG_MAXACK_SET}. */
    static final int TF_MAXACK_SET = 0x20;
    /** {@code IP_CT_EXP_CHALLENGE_ACK} (in {@link #lastFlags}). */
    static final int TF_EXP_CHALLENGE_ACK = 0x40;
    /** {@code IP_CT_TCP_SIMULTANEOUS_OPEN} (in {@link #lastFlags}). */
    static final int TF_SIMULTANEOUS_OPEN = 0x80;

    /** A node of the hash table: one of the two tuples of an entry ({@code nf_conntrack_tuple_hash}). */
    static final class TupleNode {
        final Conn ct;
        final int dir;
        long k1;
        long k2;
        TupleNode next;
        boolean hashed;

        TupleNode(Conn ct, int dir) {
            this.ct = ct;
            this.dir = dir;
        }
    }

    final ConntrackTable table;
    private final Simulation simulation;
    /** Unique id of the entry in its table ({@code conntrack -o id}); creation order. */
    public final long id;
    /** Simulated creation time, ns. */
    public final long created;
    public final int proto;
    public final int zone;
    public final int origSrc;
    public final int origDst;
    public final int origSport;
    public final int origDport;
    int replySrc;
    int replyDst;
    int replySport;
    int replyDport;

    /** The connection of the packet that created the entry (traces join decisions by it; 0 = none). */
    public long flowId;
    /** {@link CtStatus} bits. */
    public int status;
    /** {@code ct->mark}. */
    public int mark;
    /** Reference count as the kernel prints it for an idle entry from ctnetlink. */
    public int use = 1;

    /** Timeout before confirmation (relative, ns); see {@code __nf_conntrack_confirm}. */
    long timeoutRel;
    /** An UPDATE event is cached for delivery at the confirm hook ({@code nf_conntrack_event_cache}). */
    boolean eventPending;

    /** Absolute expiry, ns (valid once confirmed). */
    long expiry;

    /** Accounting extension present ({@code nf_conntrack_acct} was 1 at creation). */
    final boolean acct;
    /** Packets at [{@link #PACKETS} + dir], bytes at [{@link #BYTES} + dir]: one array, not two. */
    final long[] counters = new long[4];
    static final int PACKETS = 0;
    static final int BYTES = 2;

    // ------------------------------------------------------------------ TCP ({@code struct ip_ct_tcp})
    int tcpState;
    /**
     * The two {@code struct ip_ct_tcp_state} of the entry in one array (one object touched per
     * packet instead of six): field F of direction dir at [F + dir], F one of {@link #TD_END},
     * {@link #TD_MAX_END}, {@link #TD_MAX_WIN}, {@link #TD_MAX_ACK}, {@link #TD_SCALE} and
     * {@link #TD_FLAGS}.
     */
    final int[] td = new int[12];
    /** {@code td_end}. */
    static final int TD_END = 0;
    /** {@code td_maxend}. */
    static final int TD_MAX_END = 2;
    /** {@code td_maxwin}. */
    static final int TD_MAX_WIN = 4;
    /** {@code td_maxack}. */
    static final int TD_MAX_ACK = 6;
    /** {@code td_scale}. */
    static final int TD_SCALE = 8;
    /** {@code flags}. */
    static final int TD_FLAGS = 10;
    int lastIndex = TcpConntrackTable.NONE_SET;
    int lastDir;
    int lastSeq;
    int lastAck;
    int lastEnd;
    int lastWin;
    int lastFlags;
    int retrans;

    // ------------------------------------------------------------------ UDP
    /** {@code ct->proto.udp.stream_ts}: after this time a replied flow gets the stream timeout. */
    long udpStreamTs;

    final TupleNode origNode = new TupleNode(this, DIR_ORIGINAL);
    final TupleNode replyNode = new TupleNode(this, DIR_REPLY);

    Conn(ConntrackTable table, Simulation sim, long id, int proto, int src, int dst, int sport, int dport, int zone,
         boolean acct) {
        super(sim, Priority.EXPIRY);
        this.table = table;
        this.simulation = sim;
        this.id = id;
        this.created = sim.now();
        this.proto = proto;
        this.zone = zone;
        this.origSrc = src;
        this.origDst = dst;
        this.origSport = sport;
        this.origDport = dport;
        this.acct = acct;
        this.replySrc = dst;
        this.replyDst = src;
        this.replySport = invertSport(proto, sport, dport);
        this.replyDport = invertDport(proto, sport, dport);
        rekey();
    }

    /** The reply tuple's source address (the DNAT endpoint when DST_NAT). */
    public int replySrc() {
        return replySrc;
    }

    public int replyDst() {
        return replyDst;
    }

    public int replySport() {
        return replySport;
    }

    public int replyDport() {
        return replyDport;
    }

    /** TCP state (see {@link TcpConntrackTable}); NONE for other protocols. */
    public int tcpState() {
        return tcpState;
    }

    public boolean has(int statusBit) {
        return (status & statusBit) != 0;
    }

    public boolean confirmed() {
        return (status & CtStatus.CONFIRMED) != 0;
    }

    /** Absolute expiry in ns (confirmed entries) or now + the pending timeout (unconfirmed). */
    public long expiry() {
        return confirmed() ? expiry : simulation.now() + timeoutRel;
    }

    /** Whole seconds left as the kernel prints them: {@code floor((expiry - now) / HZ)}, not below 0. */
    public long remainingSeconds(long now) {
        long left = expiry() - now;
        return left <= 0 ? 0 : left / 1_000_000_000L;
    }

    public long packets(int dir) {
        return counters[PACKETS + dir];
    }

    public long bytes(int dir) {
        return counters[BYTES + dir];
    }

    /** Whether the accounting extension is attached. */
    public boolean hasAcct() {
        return acct;
    }

    Simulation sim() {
        return simulation;
    }

    /**
     * {@code nf_conntrack_alter_reply}: the new reply tuple. Only before confirmation (NAT setup).
     *
     * @throws IllegalStateException when the entry is confirmed
     */
    public void alterReply(int src, int dst, int sport, int dport) {
        if (confirmed()) {
            throw new IllegalStateException("reply tuple of a confirmed entry cannot change");
        }
        replySrc = src;
        replyDst = dst;
        replySport = sport;
        replyDport = dport;
        rekey();
    }

    /** ORs status bits (NAT core: SRC_NAT, DST_NAT, ..._DONE). */
    public void setStatus(int bits) {
        status |= bits;
    }

    private void rekey() {
        origNode.k1 = key1(origSrc, origDst);
        origNode.k2 = key2(proto, origSport, origDport, zone);
        replyNode.k1 = key1(replySrc, replyDst);
        replyNode.k2 = key2(proto, replySport, replyDport, zone);
    }

    /** The two-long key of a tuple: addresses. */
    static long key1(int src, int dst) {
        return ((long) src << 32) | (dst & 0xffffffffL);
    }

    /** The two-long key of a tuple: ports, protocol, zone. */
    static long key2(int proto, int sport, int dport, int zone) {
        return ((long) (sport & 0xffff) << 48) | ((long) (dport & 0xffff) << 32) | ((long) (proto & 0xff) << 16)
                | (zone & 0xffff);
    }

    /** Source "port" of the inverted tuple ({@code nf_ct_invert_tuple}). */
    static int invertSport(int proto, int sport, int dport) {
        return proto == IpProto.ICMP ? sport : dport;
    }

    /** Destination "port" of the inverted tuple: ICMP echo request and reply swap type. */
    static int invertDport(int proto, int sport, int dport) {
        if (proto == IpProto.ICMP) {
            int type = dport >>> 8;
            int code = dport & 0xff;
            int inv = type == ICMP_ECHO ? Icmp.ECHO_REPLY : type == Icmp.ECHO_REPLY ? ICMP_ECHO : type;
            return inv << 8 | code;
        }
        return sport;
    }

    static final int ICMP_ECHO = 8;

    @Override
    protected void fire() {
        table.expired(this);
    }

    @Override
    public String describe() {
        return "conntrack expiry " + Ip4.endpoint(origSrc, origSport) + " > " + Ip4.endpoint(origDst, origDport);
    }

    @Override
    public String toString() {
        return CtFormat.conntrackLine(this, simulation.now(), false, false);
    }
}
