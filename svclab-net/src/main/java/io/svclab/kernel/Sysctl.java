package io.svclab.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sysctls the simulator models, with their ranges and kernel defaults. Each network namespace
 * holds its own values ({@link Sysctls}); {@code net.ipv4.vs.*} exist in a namespace once IPVS is
 * loaded there (the node).
 *
 * <p>Subsystem issues add their keys here. A key whose kernel switch is absent from the profile
 * does not exist on that kernel, as {@code sysctl -w} would report.
 */
public enum Sysctl {

    /** Routing between interfaces; the node has it on (CNI and kube-proxy require it). */
    NET_IPV4_IP_FORWARD("net.ipv4.ip_forward", Kind.INT, 0, 1, 0, null),

    /** Ephemeral port range of connect() [D ip-sysctl.rst]; per namespace. */
    NET_IPV4_IP_LOCAL_PORT_RANGE("net.ipv4.ip_local_port_range", Kind.INT_PAIR, 1, 65535,
            Sysctls.pair(32768, 60999), null),

    /** SYN retransmissions before connect() gives up [S tcp_timer.c]. */
    NET_IPV4_TCP_SYN_RETRIES("net.ipv4.tcp_syn_retries", Kind.INT, 1, 127, 6, null),

    /** Number of linear (non-doubling) SYN timeouts [S tcp_timer.c, v6.5]. */
    NET_IPV4_TCP_SYN_LINEAR_TIMEOUTS("net.ipv4.tcp_syn_linear_timeouts", Kind.INT, 0, 255, 4,
            KernelFeature.TCP_SYN_LINEAR_TIMEOUTS),

    /** TIME_WAIT reuse for connect(): 0 never, 1 always, 2 loopback only [S tcp_twsk_unique]. */
    NET_IPV4_TCP_TW_REUSE("net.ipv4.tcp_tw_reuse", Kind.INT, 0, 2, 2, null),

    /** TCP timestamps: 1 = on with random offsets (default) [D]. */
    NET_IPV4_TCP_TIMESTAMPS("net.ipv4.tcp_timestamps", Kind.INT, 0, 2, 1, null),

    /** Lifetime of an orphaned FIN_WAIT2 socket, seconds [D]. */
    NET_IPV4_TCP_FIN_TIMEOUT("net.ipv4.tcp_fin_timeout", Kind.INT, 1, 2147483, 60, null),

    /** SYN-ACK retransmissions of a listener before the request is dropped [S tcp_timer.c reqsk_timer_handler]. */
    NET_IPV4_TCP_SYNACK_RETRIES("net.ipv4.tcp_synack_retries", Kind.INT, 1, 255, 5, null),

    /** Data/FIN retransmissions before an established connection times out [D ip-sysctl.rst]. */
    NET_IPV4_TCP_RETRIES2("net.ipv4.tcp_retries2", Kind.INT, 0, 255, 15, null),

    /** Retransmissions of an orphaned socket; 0 means 8 while the RTO is below its cap [S tcp_orphan_retries]. */
    NET_IPV4_TCP_ORPHAN_RETRIES("net.ipv4.tcp_orphan_retries", Kind.INT, 0, 255, 0, null),

    /** Minimal ms between out-of-window/challenge ACKs of one socket [S __tcp_oow_rate_limited]. */
    NET_IPV4_TCP_INVALID_RATELIMIT("net.ipv4.tcp_invalid_ratelimit", Kind.INT, 0, 2147483, 500, null),

    /** Base of the randomised REACHABLE time of a neighbour entry, ms [S arp.c arp_tbl]. */
    NET_IPV4_NEIGH_BASE_REACHABLE_TIME_MS("net.ipv4.neigh.default.base_reachable_time_ms", Kind.INT, 1, 2147483, 30000, null),

    /** Time in STALE→DELAY before the first unicast probe, seconds [S arp.c arp_tbl]. */
    NET_IPV4_NEIGH_DELAY_FIRST_PROBE_TIME("net.ipv4.neigh.default.delay_first_probe_time", Kind.INT, 1, 2147483, 5, null),

    /** Interval between ARP probes, ms [S arp.c arp_tbl]. */
    NET_IPV4_NEIGH_RETRANS_TIME_MS("net.ipv4.neigh.default.retrans_time_ms", Kind.INT, 1, 2147483, 1000, null),

    /** Broadcast ARP requests before an unresolved neighbour fails [S arp.c arp_tbl]. */
    NET_IPV4_NEIGH_MCAST_SOLICIT("net.ipv4.neigh.default.mcast_solicit", Kind.INT, 0, 255, 3, null),

    /** Unicast probes of a DELAY/PROBE neighbour before it fails [S arp.c arp_tbl]. */
    NET_IPV4_NEIGH_UCAST_SOLICIT("net.ipv4.neigh.default.ucast_solicit", Kind.INT, 0, 255, 3, null),

    /** Packets queued per unresolved neighbour (kernel counts bytes: unres_qlen_bytes 212992) [S neighbour.c]. */
    NET_IPV4_NEIGH_UNRES_QLEN("net.ipv4.neigh.default.unres_qlen", Kind.INT, 0, 65535, 101, null),

    /** Conntrack table size limit; 0 = unlimited; global in the kernel, per namespace here [S nf_conntrack_core.c; V 262144 on the lab host]. */
    NET_NF_CONNTRACK_MAX("net.netfilter.nf_conntrack_max", Kind.INT, 0, Integer.MAX_VALUE, 262144, null),

    /** Per-direction packet/byte accounting of entries created while it is 1 [D nf_conntrack-sysctl.rst]. */
    NET_NF_CONNTRACK_ACCT("net.netfilter.nf_conntrack_acct", Kind.INT, 0, 1, 0, null),

    /** Mid-stream pickup of TCP flows without a SYN [S tcp_new]. */
    NET_NF_CONNTRACK_TCP_LOOSE("net.netfilter.nf_conntrack_tcp_loose", Kind.INT, 0, 1, 1, null),

    /** Accept out-of-window TCP segments (RSTs excepted) [S tcp_in_window]. */
    NET_NF_CONNTRACK_TCP_BE_LIBERAL("net.netfilter.nf_conntrack_tcp_be_liberal", Kind.INT, 0, 1, 0, null),

    /** Identical segments before the RETRANS timeout applies [S nf_conntrack_tcp_packet]. */
    NET_NF_CONNTRACK_TCP_MAX_RETRANS("net.netfilter.nf_conntrack_tcp_max_retrans", Kind.INT, 0, Integer.MAX_VALUE, 3, null),

    /** Accept RSTs whose seq is below the peer\'s highest ACK [S nf_conntrack_tcp_packet]. */
    NET_NF_CONNTRACK_TCP_IGNORE_INVALID_RST("net.netfilter.nf_conntrack_tcp_ignore_invalid_rst", Kind.INT, 0, 1, 0, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_SYN_SENT("net.netfilter.nf_conntrack_tcp_timeout_syn_sent", Kind.INT, 0, Integer.MAX_VALUE, 120, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_SYN_RECV("net.netfilter.nf_conntrack_tcp_timeout_syn_recv", Kind.INT, 0, Integer.MAX_VALUE, 60, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_ESTABLISHED("net.netfilter.nf_conntrack_tcp_timeout_established", Kind.INT, 0, Integer.MAX_VALUE, 432000, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_FIN_WAIT("net.netfilter.nf_conntrack_tcp_timeout_fin_wait", Kind.INT, 0, Integer.MAX_VALUE, 120, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE_WAIT("net.netfilter.nf_conntrack_tcp_timeout_close_wait", Kind.INT, 0, Integer.MAX_VALUE, 60, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_LAST_ACK("net.netfilter.nf_conntrack_tcp_timeout_last_ack", Kind.INT, 0, Integer.MAX_VALUE, 30, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_TIME_WAIT("net.netfilter.nf_conntrack_tcp_timeout_time_wait", Kind.INT, 0, Integer.MAX_VALUE, 120, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE("net.netfilter.nf_conntrack_tcp_timeout_close", Kind.INT, 0, Integer.MAX_VALUE, 10, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_MAX_RETRANS("net.netfilter.nf_conntrack_tcp_timeout_max_retrans", Kind.INT, 0, Integer.MAX_VALUE, 300, null),

    /** TCP conntrack timeout, seconds [S tcp_timeouts[]; D]. */
    NET_NF_CONNTRACK_TCP_TIMEOUT_UNACKNOWLEDGED("net.netfilter.nf_conntrack_tcp_timeout_unacknowledged", Kind.INT, 0, Integer.MAX_VALUE, 300, null),

    /** UDP timeout before a reply / while not a stream, seconds [S udp_timeouts[]]. */
    NET_NF_CONNTRACK_UDP_TIMEOUT("net.netfilter.nf_conntrack_udp_timeout", Kind.INT, 0, Integer.MAX_VALUE, 30, null),

    /** UDP timeout once replied and still active after 2 s, seconds [S nf_conntrack_udp_packet]. */
    NET_NF_CONNTRACK_UDP_TIMEOUT_STREAM("net.netfilter.nf_conntrack_udp_timeout_stream", Kind.INT, 0, Integer.MAX_VALUE, 120, null),

    /** ICMP echo timeout, seconds [S nf_conntrack_proto_icmp.c]. */
    NET_NF_CONNTRACK_ICMP_TIMEOUT("net.netfilter.nf_conntrack_icmp_timeout", Kind.INT, 0, Integer.MAX_VALUE, 30, null),

    /** Timeout of other protocols, seconds [S nf_conntrack_proto_generic.c]. */
    NET_NF_CONNTRACK_GENERIC_TIMEOUT("net.netfilter.nf_conntrack_generic_timeout", Kind.INT, 0, Integer.MAX_VALUE, 600, null),

    /** IPVS: reschedule on port reuse; bitmap, 1 = on (default) [D ipvs-sysctl.rst]. */
    NET_IPV4_VS_CONN_REUSE_MODE("net.ipv4.vs.conn_reuse_mode", Kind.INT, 0, 3, 1, null),

    /** IPVS: expire connections whose destination is gone or weight 0 on the next packet [D]. */
    NET_IPV4_VS_EXPIRE_NODEST_CONN("net.ipv4.vs.expire_nodest_conn", Kind.INT, 0, 1, 0, null),

    /** IPVS: expire persistence templates of quiescent (weight 0) destinations [D]. */
    NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE("net.ipv4.vs.expire_quiescent_template", Kind.INT, 0, 1, 0, null),

    /** IPVS: keep netfilter conntrack entries for IPVS connections (kube-proxy sets 1) [D]. */
    NET_IPV4_VS_CONNTRACK("net.ipv4.vs.conntrack", Kind.INT, 0, 1, 0, null),

    /** IPVS: any TCP segment (not only a SYN) may create a connection [D ipvs-sysctl.rst]. */
    NET_IPV4_VS_SLOPPY_TCP("net.ipv4.vs.sloppy_tcp", Kind.INT, 0, 1, 0, null);

    /** The shape of a value. */
    public enum Kind {
        /** One integer. */
        INT,
        /** Two integers separated by white space, the first not above the second. */
        INT_PAIR
    }

    private static final Map<String, Sysctl> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Sysctl::key, Function.identity()));

    private final String key;
    private final Kind kind;
    private final int min;
    private final int max;
    private final long defaultValue;
    private final KernelFeature requires;

    Sysctl(String key, Kind kind, int min, int max, long defaultValue, KernelFeature requires) {
        this.key = key;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.requires = requires;
    }

    /** The dotted name, as {@code sysctl} prints it. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** The sysctl for a dotted name, or {@code null}. */
    public static Sysctl byKey(String key) {
        return BY_KEY.get(key);
    }

    /** Whether the key exists on a kernel with this profile. */
    public boolean existsIn(KernelProfile profile) {
        return requires == null || profile.has(requires);
    }

    /** The kernel's default on this profile. */
    public long defaultFor(KernelProfile profile) {
        if (this == NET_IPV4_TCP_TW_REUSE && !profile.has(KernelFeature.TCP_TW_REUSE_LOOPBACK_DEFAULT)) {
            return 0;
        }
        return defaultValue;
    }

    /** The largest value this kernel accepts. */
    public int maxFor(KernelProfile profile) {
        if (this == NET_IPV4_TCP_TW_REUSE && !profile.has(KernelFeature.TCP_TW_REUSE_LOOPBACK_DEFAULT)) {
            return 1;
        }
        return max;
    }

    /**
     * Parses a value as {@code sysctl -w} would accept it ({@code "32768 60999"} for a pair).
     *
     * @throws IllegalArgumentException with a message fit for the user when the value is out of
     *     range or malformed
     */
    public long parse(String text, KernelProfile profile) {
        String t = text == null ? "" : text.trim();
        int hi = maxFor(profile);
        if (kind == Kind.INT) {
            int v = parseInt(t);
            if (v < min || v > hi) {
                throw new IllegalArgumentException("expected an integer in " + min + ".." + hi + ", got \"" + t + "\"");
            }
            return v;
        }
        String[] parts = t.split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected two integers \"LOW HIGH\", got \"" + t + "\"");
        }
        int a = parseInt(parts[0]);
        int b = parseInt(parts[1]);
        if (a < min || b > hi || a > b) {
            throw new IllegalArgumentException("expected LOW HIGH with " + min + " <= LOW <= HIGH <= " + hi + ", got \"" + t + "\"");
        }
        return Sysctls.pair(a, b);
    }

    /** Formats a value the way {@code sysctl} prints it (a pair with a tab). */
    public String format(long value) {
        if (kind == Kind.INT) {
            return Long.toString(value);
        }
        return Sysctls.low(value) + "\t" + Sysctls.high(value);
    }

    private static int parseInt(String t) {
        if (t.isEmpty() || t.length() > 11) {
            throw new IllegalArgumentException("expected an integer, got \"" + t + "\"");
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got \"" + t + "\"");
        }
    }
}
