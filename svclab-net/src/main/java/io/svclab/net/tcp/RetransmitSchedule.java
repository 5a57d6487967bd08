package io.svclab.net.tcp;

/**
 * The retransmission timer of net/ipv4/tcp_timer.c as formulas.
 *
 * <p>SYN_SENT ({@code tcp_retransmit_timer} → {@code tcp_write_timeout}): the first SYN arms
 * {@code TCP_TIMEOUT_INIT} = 1 s. At each expiry {@code tcp_write_timeout} gives up when
 * {@code icsk_retransmits >= max_retransmits}, where {@code max_retransmits = tcp_syn_retries}
 * plus, with {@code TCP_SYN_LINEAR_TIMEOUTS} in SYN_SENT, {@code tcp_syn_linear_timeouts}; and,
 * with {@code TCP_SYN_TIMEOUT_ELAPSED}, also when {@code retransmits_timed_out(sk,
 * tcp_syn_retries, 0)} holds: at least one retransmission and {@code tcp_model_timeout(retries,
 * 1 s)} elapsed since the first SYN ({@code retrans_stamp}). Otherwise the SYN is sent again,
 * {@code icsk_retransmits} and {@code icsk_backoff} are incremented and the RTO doubles (capped
 * at {@code TCP_RTO_MAX} = 120 s) unless the socket is in SYN_SENT and {@code icsk_backoff <=
 * tcp_syn_linear_timeouts} ({@code out_reset_timer}). Hence SYNs at 0, 1, 3, 7, 15, 31, 63 s and
 * ETIMEDOUT at 127 s (6 retries, doubling), or 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s and 131 s
 * (6 + 4, four linear; the elapsed limit of 127 s is first checked at 131 s). With
 * tcp_syn_retries=2 on a linear kernel the elapsed limit (7 s) ends the connect before the count
 * (6) does. Kernels before the count-based test used the elapsed form only (not modelled: the
 * model uses the count on every profile).
 *
 * <p>{@code tcp_model_timeout(boundary, base)}: with thresh = ilog2(TCP_RTO_MAX / base),
 * {@code ((2 << boundary) - 1) * base} when boundary &lt;= thresh, else
 * {@code ((2 << thresh) - 1) * base + (boundary - thresh) * TCP_RTO_MAX}.
 *
 * <p>Established data and FIN ({@code retransmits_timed_out}, base {@code TCP_RTO_MIN}): RTO from
 * the first RTT sample ({@code tcp_rtt_estimator}, {@code tcp_set_rto}: srtt = m, rttvar =
 * max(2m, TCP_RTO_MIN)), so RTO = m + max(2m, 200 ms); doubling, capped at 120 s; give up when
 * the time since the first transmission of the oldest unacknowledged segment reaches
 * {@code tcp_model_timeout(b, 200 ms)} for b = {@code tcp_retries2} (15: 924.6 s) or, for an
 * orphan, {@code tcp_orphan_retries} (0 ⇒ 8: 102.2 s).
 */
final class RetransmitSchedule {

    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    /** {@code TCP_TIMEOUT_INIT}. */
    static final long TIMEOUT_INIT = SECOND;
    /** {@code TCP_RTO_MAX}. */
    static final long RTO_MAX = 120 * SECOND;
    /** {@code TCP_RTO_MIN} (HZ/5). */
    static final long RTO_MIN = 200 * MS;
    /** {@code TCP_TIMEOUT_MIN}: 2 jiffies at HZ=250. */
    static final long TIMEOUT_MIN = 8 * MS;
    /** {@code TCP_TIMEWAIT_LEN}. */
    static final long TIMEWAIT_LEN = 60 * SECOND;

    private RetransmitSchedule() {
    }

    /** The RTO after a SYN_SENT expiry that brought {@code icsk_backoff} to {@code backoff}. */
    static long nextSynRto(long rto, int backoff, boolean linear, int linearTimeouts) {
        if (linear && backoff <= linearTimeouts) {
            return rto;
        }
        return Math.min(rto << 1, RTO_MAX);
    }

    /** Whether {@code tcp_write_timeout} gives up in SYN_SENT/SYN_RECV. */
    static boolean synExpired(int retransmits, int synRetries, boolean linear, int linearTimeouts, boolean synSent) {
        int max = synRetries + (linear && synSent ? linearTimeouts : 0);
        return retransmits >= max;
    }

    /** The first RTO from one RTT sample m ({@code tcp_rtt_estimator} + {@code __tcp_set_rto}). */
    static long rtoFromSample(long rttNs) {
        return Math.min(rttNs + Math.max(2 * rttNs, RTO_MIN), RTO_MAX);
    }

    /** {@code tcp_model_timeout}: the time a boundary of retransmissions stands for, ns. */
    static long modelTimeout(int boundary, long rtoBase) {
        int thresh = 63 - Long.numberOfLeadingZeros(RTO_MAX / rtoBase); // ilog2
        if (boundary <= thresh) {
            return ((2L << boundary) - 1) * rtoBase;
        }
        return ((2L << thresh) - 1) * rtoBase + (long) (boundary - thresh) * RTO_MAX;
    }

    /** The {@code retransmits_timed_out} limit for data and FIN (base TCP_RTO_MIN), ns. */
    static long dataTimeout(int boundary) {
        return modelTimeout(boundary, RTO_MIN);
    }
}
