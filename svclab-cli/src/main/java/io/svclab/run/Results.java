package io.svclab.run;

import io.svclab.k8s.Pod;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Aggregates the records of generated client connections into the result's {@code connections},
 * {@code backends} and {@code timeline} blocks (contract §4). Records are folded in as they
 * arrive; nothing per connection is kept.
 *
 * <p>Definitions:
 * <ul>
 * <li>{@code attempted}: connections whose record arrived (the application was done with them
 *     before the run ended) = {@code succeeded + failed}; connections still open at the end are
 *     counted apart in {@code inFlight}.</li>
 * <li>{@code failed}: any result other than {@code OK}; {@code errors} counts them by result, with
 *     ETIMEDOUT, ECONNREFUSED, ECONNRESET, EHOSTUNREACH and APP_TIMEOUT always present and any other
 *     result that occurred after them in alphabetical order.</li>
 * <li>{@code delayed}: succeeded with at least one SYN retransmission.</li>
 * <li>{@code connectMs}: connect times (first SYN to ESTABLISHED, or to the connect failure) of
 *     every connection that sent a SYN, recorded in simulated microseconds in an HdrHistogram
 *     (3 significant digits) and printed in milliseconds with one decimal.</li>
 * <li>a backend's {@code connections}: connections that pod accepted (its listener completed the
 *     handshake); its {@code failed}: those of them whose result was not {@code OK} (reset,
 *     early close, application timeout after the handshake). A connection whose SYNs never reached
 *     a listening pod is attributed to no backend.</li>
 * <li>{@code timeline}: one entry per simulated second of the run, each connection counted in the
 *     second it started.</li>
 * </ul>
 */
public final class Results {

    /** The error keys always present in {@code errors}, in the contract's order. */
    public static final List<String> FIXED_ERRORS = List.of("ETIMEDOUT", "ECONNREFUSED", "ECONNRESET",
            "EHOSTUNREACH", "APP_TIMEOUT");
    private static final long NS_PER_S = 1_000_000_000L;
    private static final long MAX_US = 3_600_000_000L;

    private final int seconds;
    private final Histogram connectUs = new Histogram(MAX_US, 3);
    private final long[] byResult = new long[ConnectResult.values().length];
    private final TreeMap<Integer, Long> synRtx = new TreeMap<>();
    /** Connections with 0 … 15 SYN retransmissions; more go to {@link #synRtx}. */
    private final long[] synRtxFew = new long[16];
    private final long[] secAttempted;
    private final long[] secFailed;
    private final long[] secDelayed;
    /** Per backend pod, in first-seen order: accepted, failed, then accepted per second. */
    private final Map<String, long[]> perBackend = new LinkedHashMap<>();
    private long attempted;
    private long delayed;
    private long inFlight;

    /** A collector for a run of this simulated length (the timeline has one entry per started second). */
    public Results(long durationNs) {
        this.seconds = (int) Math.max(1, (durationNs + NS_PER_S - 1) / NS_PER_S);
        this.secAttempted = new long[seconds];
        this.secFailed = new long[seconds];
        this.secDelayed = new long[seconds];
    }

    /**
     * Adds one connection's record.
     *
     * @param r the record
     * @param backendPod the pod that accepted the connection, or null when none did
     */
    public void add(ConnectionRecord r, String backendPod) {
        attempted++;
        byResult[r.result().ordinal()]++;
        boolean ok = r.result() == ConnectResult.OK;
        boolean late = ok && r.synRetransmissions() > 0;
        if (late) {
            delayed++;
        }
        int rtx = r.synRetransmissions();
        if (rtx >= 0 && rtx < synRtxFew.length) {
            synRtxFew[rtx]++; // no boxing for the usual counts
        } else {
            synRtx.merge(rtx, 1L, Long::sum);
        }
        if (r.connectNs() >= 0) {
            connectUs.recordValue(Math.min(MAX_US, (r.connectNs() + 500) / 1000));
        }
        int sec = (int) Math.min(seconds - 1, Math.max(0, r.startNs() / NS_PER_S));
        secAttempted[sec]++;
        if (!ok) {
            secFailed[sec]++;
        }
        if (late) {
            secDelayed[sec]++;
        }
        if (backendPod != null) {
            long[] b = perBackend.get(backendPod);
            if (b == null) {
                b = new long[2 + seconds];
                perBackend.put(backendPod, b);
            }
            b[0]++;
            if (!ok) {
                b[1]++;
            }
            b[2 + sec]++;
        }
    }

    /** Counts connections opened but not done when the run ended. */
    public void addInFlight(long n) {
        inFlight += n;
    }

    /** The {@code connections} block. */
    public Connections connections() {
        Map<String, Long> errors = new LinkedHashMap<>();
        for (String k : FIXED_ERRORS) {
            errors.put(k, byResult[ConnectResult.valueOf(k).ordinal()]);
        }
        TreeMap<String, Long> others = new TreeMap<>();
        for (ConnectResult c : ConnectResult.values()) {
            if (c != ConnectResult.OK && !FIXED_ERRORS.contains(c.name()) && byResult[c.ordinal()] > 0) {
                others.put(c.name(), byResult[c.ordinal()]);
            }
        }
        errors.putAll(others);
        long ok = byResult[ConnectResult.OK.ordinal()];
        boolean any = connectUs.getTotalCount() > 0;
        ConnectMs ms = new ConnectMs(any ? ms(connectUs.getValueAtPercentile(50)) : 0,
                any ? ms(connectUs.getValueAtPercentile(90)) : 0,
                any ? ms(connectUs.getValueAtPercentile(99)) : 0,
                any ? ms(connectUs.getValueAtPercentile(99.9)) : 0,
                any ? ms(connectUs.getMaxValue()) : 0);
        return new Connections(attempted, ok, attempted - ok, Collections.unmodifiableMap(errors), delayed, ms,
                Collections.unmodifiableSortedMap(synRetransmissions()), inFlight);
    }

    private TreeMap<Integer, Long> synRetransmissions() {
        TreeMap<Integer, Long> m = new TreeMap<>(synRtx);
        for (int i = 0; i < synRtxFew.length; i++) {
            if (synRtxFew[i] > 0) {
                m.put(i, synRtxFew[i]);
            }
        }
        return m;
    }

    private static double ms(long us) {
        return Math.round(us / 100.0) / 10.0;
    }

    /**
     * The {@code backends} block: every backend (non-client) pod of the list in its order, then any
     * other pod that accepted connections, by name.
     */
    public List<Backend> backends(List<Pod> pods) {
        List<Backend> out = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        for (Pod p : pods) {
            if (p.client()) {
                continue;
            }
            listed.add(p.name());
            long[] b = perBackend.get(p.name());
            out.add(new Backend(p.name(), io.svclab.net.Ip4.format(p.ip()), p.node(), b == null ? 0 : b[0],
                    b == null ? 0 : b[1]));
        }
        for (String name : new TreeMap<>(perBackend).keySet()) {
            if (!listed.contains(name)) {
                long[] b = perBackend.get(name);
                out.add(new Backend(name, null, 0, b[0], b[1]));
            }
        }
        return out;
    }

    /**
     * The {@code timeline}: one entry per simulated second; {@code backends} of an entry lists the
     * pods that accepted connections started in that second, in the order of {@code pods}, then by
     * name.
     */
    public List<Second> timeline(List<Pod> pods) {
        List<String> order = new ArrayList<>();
        for (Pod p : pods) {
            if (!p.client() && perBackend.containsKey(p.name())) {
                order.add(p.name());
            }
        }
        for (String name : new TreeMap<>(perBackend).keySet()) {
            if (!order.contains(name)) {
                order.add(name);
            }
        }
        List<Second> out = new ArrayList<>(seconds);
        for (int s = 0; s < seconds; s++) {
            Map<String, Long> b = new LinkedHashMap<>();
            for (String name : order) {
                long n = perBackend.get(name)[2 + s];
                if (n > 0) {
                    b.put(name, n);
                }
            }
            out.add(new Second(s, secAttempted[s], secFailed[s], secDelayed[s], Collections.unmodifiableMap(b)));
        }
        return out;
    }

    /**
     * The {@code connections} block.
     *
     * @param errors failed connections by result, the fixed keys first
     * @param synRetransmissions connections by number of SYN retransmissions
     * @param inFlight connections opened and not done when the run ended (not in {@code attempted})
     */
    public record Connections(long attempted, long succeeded, long failed, Map<String, Long> errors, long delayed,
                              ConnectMs connectMs, SortedMap<Integer, Long> synRetransmissions, long inFlight) {
    }

    /** Connect-time percentiles in milliseconds, one decimal. */
    public record ConnectMs(double p50, double p90, double p99, double p999, double max) {
    }

    /**
     * One backend pod's counts.
     *
     * @param ip the pod's address, null for a pod not in the world's list
     */
    public record Backend(String pod, String ip, int node, long connections, long failed) {
    }

    /** One simulated second of the timeline. */
    public record Second(int second, long attempted, long failed, long delayed, Map<String, Long> backends) {
    }
}
