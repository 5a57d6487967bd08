package io.svclab.kernel;

import java.util.List;

/**
 * One kernel behaviour switch: a change in upstream Linux that alters what the simulated datapath
 * does. Model code asks {@code profile.has(FEATURE)}; it never compares version numbers itself.
 *
 * <p>Each constant records the upstream change that introduced it, the first mainline release that
 * has it, and the stable releases it is known to have been backported to (a release at or after
 * the listed backport, in the same stable line, has the behaviour too). A profile for
 * {@code X.Y} means X.Y.0; {@code X.Y.Z} picks up the backports of line X.Y up to Z. The
 * {@code 3.10} profile is the RHEL/CentOS 7 kernel, whose feature set is listed explicitly in
 * {@link KernelProfiles} because Red Hat backported selectively.
 *
 * <p>Subsystem issues add their switches here; the model code that consults a switch names it in
 * its own package documentation.
 */
public enum KernelFeature {

    // ------------------------------------------------------------------ TCP endpoints (net/ipv4)

    /**
     * connect() prefers even ephemeral ports and steps by 2, leaving odd ports for bind().
     * Upstream 1580ab63fc9a "tcp/dccp: better use of ephemeral ports in connect()" (v4.6).
     */
    TCP_CONNECT_EVEN_PORTS("1580ab63fc9a", KernelVersion.of(4, 6), List.of(),
            "connect() scans even ports first, stepping by 2; odd ports are left to bind()"),

    /**
     * Port selection with a 2^16-entry perturbation table indexed by half of a 64-bit keyed hash,
     * with a random 0..7 extra increment after each successful connect().
     * Upstream 4c2c8f03a5ab "tcp: increase source port perturb table to 2^16" and ca7af0402550
     * "tcp: add small random increments to the source port" (mainline believed v5.18). Stable:
     * 5.15.41 (a user report dates the changed port choice to it, home-assistant/operating-system
     * #1950); the backports to other lines (mid-2022) are not pinned, so their X.Y.Z profiles do
     * not get it.
     */
    TCP_PORT_PERTURB_TABLE("4c2c8f03a5ab", KernelVersion.of(5, 18), List.of(new KernelVersion(5, 15, 41)),
            "per-destination offset from a 65536-entry perturb table, advanced by 2 + 2*U{0..7} per connect"),

    /**
     * SYN retransmissions in SYN_SENT use a linear (non-doubling) RTO for the first
     * {@code tcp_syn_linear_timeouts} (default 4) timeouts, and that many extra retries are allowed.
     * Upstream ccce324dabfe "tcp: make the first N SYN RTO backoffs linear" (v6.5).
     */
    TCP_SYN_LINEAR_TIMEOUTS("ccce324dabfe", KernelVersion.of(6, 5), List.of(),
            "SYN RTO stays 1 s for the first tcp_syn_linear_timeouts retransmissions (0,1,2,3,4,5,7,11,19,35,67 s)"),

    /**
     * In SYN_SENT, {@code tcp_write_timeout} also gives up once {@code retransmits_timed_out}
     * says the modelled time for {@code tcp_syn_retries} has passed since the first SYN
     * ({@code ((2 << retries) - 1) * 1 s}: 127 s for 6), not only when the retransmission count
     * is used up. Upstream a41e8a88b06e "tcp: better handle TCP_USER_TIMEOUT in SYN_SENT state"
     * (believed v5.4; stable backports not pinned).
     */
    TCP_SYN_TIMEOUT_ELAPSED("a41e8a88b06e", KernelVersion.of(5, 4), List.of(),
            "a connect also times out ((2 << tcp_syn_retries) - 1) s after the first SYN, whatever the count"),

    /**
     * {@code net.ipv4.tcp_tw_reuse} accepts 2 ("loopback only") and defaults to it; before, the
     * range was 0..1 and the default 0.
     * Upstream 79e9fed46038 "tcp: Add TCP_TW_REUSE loopback only option" (believed v4.19).
     */
    TCP_TW_REUSE_LOOPBACK_DEFAULT("79e9fed46038", KernelVersion.of(4, 19), List.of(),
            "tcp_tw_reuse=2 (reuse TIME_WAIT ports for loopback only) exists and is the default"),

    /**
     * Port selection through a 256-entry perturbation table indexed by a hash of the destination
     * (one start hint per destination bucket instead of one global hint), advanced by i + 2.
     * Upstream 190cc82489f4 "tcp: change source port randomizarion at connect() time" (believed
     * v5.12; superseded by {@link #TCP_PORT_PERTURB_TABLE} where both are present). Stable: 5.4.197
     * (its shortlog lists the backport, without the 2^16 table); the 4.19 backport (posted May 2022)
     * and the other lines are not pinned.
     */
    TCP_PORT_PERTURB_TABLE_256("190cc82489f4", KernelVersion.of(5, 12), List.of(new KernelVersion(5, 4, 197)),
            "per-destination start offset from a 256-entry perturb table, advanced by i + 2 per connect"),

    /**
     * connect() with a kernel-chosen port never takes over a TIME_WAIT socket in the FIN_WAIT2
     * substate (an orphan whose peer has not sent its FIN yet), whatever tcp_tw_reuse says.
     * Upstream 0d9e5df4a257 "tcp: avoid reusing FIN_WAIT2 when trying to find port in connect()
     * process" (v6.12, in linux-next with the 6.12 merge window). Queued for the stable lines
     * 4.19, 5.4, 5.10, 5.15, 6.6, 6.10 and 6.11 in October 2024 (stable-rc push of 2024-10-07);
     * the first release of each line is not pinned, so X.Y.Z profiles of older lines do not get it.
     */
    TCP_TW_REUSE_SKIPS_FIN_WAIT2("0d9e5df4a257", KernelVersion.of(6, 12), List.of(),
            "tcp_tw_reuse never applies to a TIME_WAIT socket still in the FIN_WAIT2 substate"),

    // --- conntrack

    /**
     * A retransmitted SYN of an entry in SYN_SENT that has seen no reply does not refresh its
     * timeout, so port reuse cannot keep a stale NAT binding alive indefinitely.
     * Upstream e15d4cdf27cb "netfilter: conntrack: do not renew entry stuck in tcp SYN_SENT state"
     * (Florian Westphal, believed v5.14).
     */
    CT_TCP_SYN_SENT_NO_RENEW("e15d4cdf27cb", KernelVersion.of(5, 14), List.of(),
            "a retransmitted SYN in SYN_SENT without a reply does not refresh the 120 s timeout"),

    // ------------------------------------------------------------------ IPVS (net/netfilter/ipvs)

    /**
     * ActiveConn counts the pre-established TCP states (SYN_SENT, SYN_RECV, SYNACK) as active.
     * Upstream be2cef49904b "ipvs: count pre-established TCP states as active" (v4.8).
     */
    IPVS_PRE_ESTABLISHED_ACTIVE("be2cef49904b", KernelVersion.of(4, 8), List.of(),
            "SYN_SENT/SYN_RECV/SYNACK entries count in ActiveConn, not InActConn"),

    /**
     * A SYN rescheduled by the conn_reuse_mode block is dropped when the old connection used
     * conntrack, so the old conntrack entry is removed first and the client's retransmission (about
     * 1 s later) is scheduled afresh: the delay of kubernetes#81775.
     * Upstream f719e3754ee2 "ipvs: drop first packet to redirect conntrack" (2016, Julian
     * Anastasov; mainline taken as v4.10, not verified against the release tag); also in the
     * RHEL/CentOS 7 kernel. Before it (d752c364 "allow rescheduling of new connections when port
     * reuse is detected", committed 2015-02-25, v4.1) a rescheduled SYN was never dropped.
     */
    IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT("f719e3754ee2", KernelVersion.of(4, 10), List.of(),
            "a rescheduled SYN whose old connection used conntrack is dropped (~1 s client delay)"),

    /**
     * The drop of {@link #IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT} happens only when the old conntrack
     * entry is confirmed; an unconfirmed one (conntrack already replaced a closed entry) is reused.
     * Upstream f0a5e4d7a594 "ipvs: allow connection reuse for unconfirmed conntrack" (v5.9;
     * stable 4.14.194, 4.19.140, 5.8.2).
     */
    IPVS_DROP_ONLY_CONFIRMED_CT("f0a5e4d7a594", KernelVersion.of(5, 9),
            List.of(new KernelVersion(4, 14, 194), new KernelVersion(4, 19, 140), new KernelVersion(5, 8, 2)),
            "the rescheduled SYN is dropped only while the old conntrack entry is confirmed"),

    /**
     * With expire_nodest_conn=1, deleting a real server queues work that expires all its
     * connections, and a SYN on an entry of an unavailable destination is rescheduled.
     * Upstream 04231e52d355 "ipvs: queue delayed work to expire no destination connections if
     * expire_nodest_conn=1" (Andrew Sy Kim; in the netfilter pull of 2020-08-02 for the 5.9 merge
     * window, hash confirmed by later "Fixes:" tags: v5.9). The work is queued one jiffy after
     * {@code __ip_vs_del_dest} (also when a service is deleted).
     */
    IPVS_EXPIRE_NODEST_DELAYED_WORK("04231e52d355", KernelVersion.of(5, 9), List.of(),
            "deleting a real server expires its entries (expire_nodest_conn=1); SYNs on them are rescheduled"),

    /**
     * The reuse block of ip_vs_in no longer requires conn_reuse_mode != 0: a SYN on an entry whose
     * real server has weight 0 is rescheduled when expire_nodest_conn=1 even with conn_reuse_mode=0.
     * Upstream c95c07836fa4 "ipvs: Fix reuse connection if RS weight is 0" (v5.16). Stable
     * backports: the linux-stable-rc push of 2021-12-06 shows the patch queued for 4.14, 4.19,
     * 5.4, 5.10 and 5.15, so the first releases carrying it are taken to be those of 2021-12-08
     * (4.14.257, 4.19.220, 5.4.164, 5.10.84, 5.15.7); the release numbers are inferred from the
     * queue, not read from the release changelogs. A 5.10.251 kernel behaves this way (IPVS oracle).
     */
    IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE("c95c07836fa4", KernelVersion.of(5, 16),
            List.of(new KernelVersion(4, 14, 257), new KernelVersion(4, 19, 220), new KernelVersion(5, 4, 164),
                    new KernelVersion(5, 10, 84), new KernelVersion(5, 15, 7)),
            "expire_nodest_conn=1 reschedules a SYN on a weight-0 real server even with conn_reuse_mode=0"),

    /**
     * IPVS transmitters decrement the TTL of every packet they send to a non-local real server
     * (also packets of local clients) and answer TTL &lt;= 1 with ICMP time exceeded
     * ({@code decrement_ttl} in {@code __ip_vs_get_out_rt}). Upstream 8d8e20e2d7bb "ipvs: Decrement
     * ttl" (Alex Gartrell, 2015; mainline taken as v4.3, not verified against the release tag).
     */
    IPVS_DECREMENT_TTL("8d8e20e2d7bb", KernelVersion.of(4, 3), List.of(),
            "IPVS decrements the TTL when forwarding to a real server; TTL 1 gets ICMP time exceeded");

    private final String commit;
    private final KernelVersion mainline;
    private final List<KernelVersion> stableBackports;
    private final String summary;

    KernelFeature(String commit, KernelVersion mainline, List<KernelVersion> stableBackports, String summary) {
        this.commit = commit;
        this.mainline = mainline;
        this.stableBackports = stableBackports;
        this.summary = summary;
    }

    /** The upstream commit (abbreviated hash) that introduced the behaviour. */
    public String commit() {
        return commit;
    }

    /** The first mainline release with the behaviour. */
    public KernelVersion mainline() {
        return mainline;
    }

    /** Stable releases known to carry a backport: same line, at or after that release. */
    public List<KernelVersion> stableBackports() {
        return stableBackports;
    }

    /** One line on what the switch changes. */
    public String summary() {
        return summary;
    }

    /** The scenario key of this switch under {@code kernelFeatures:}. */
    public String key() {
        return name();
    }

    /** Whether an upstream or stable kernel of this version has the behaviour. */
    public boolean presentIn(KernelVersion v) {
        if (v.atLeast(mainline)) {
            return true;
        }
        for (KernelVersion b : stableBackports) {
            if (v.sameLine(b) && v.atLeast(b)) {
                return true;
            }
        }
        return false;
    }
}
