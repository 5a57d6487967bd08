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
 *     (3 significant digits) and printed in milliseconds with one decimal; the same times are
 *     counted exactly in 1-2-5 buckets ({@code connectHistogram}: 0.1, 0.2, 0.5, 1, 2, 5 ms …) for the
 *     report's distribution chart.</li>
 * <li>a backend's {@code connections}: connections that pod accepted (its listener completed the
 *     handshake); its {@code failed}: those of them whose result was not {@code OK} (reset,
 *     early close, application timeout after the handshake). A connection whose SYNs never reached
 *     a listening pod is attributed to no backend.</li>
 * <li>a backend's {@code requests}: requests of the generated load that ended on a connection that
 *     pod accepted (for {@code pooled}, also while the connection is still open).</li>
 * <li>{@code timeline}: one entry per simulated second of the run, each connection counted in the
 *     second it started; {@code requests} and {@code requestsFailed} count the generated load's
 *     requests in the second they arose.</li>
 * <li>{@code requests}: the requests of the generated client load (scripted connects are not
 *     requests): {@code attempted} = requests that ended before the run did = {@code succeeded +
 *     failed}; {@code errors} as for connections (EOF: the server closed before the response was
 *     complete, e.g. a keep-alive race; APP_TIMEOUT also for a request that waited for a pooled
 *     connection its whole timeout); {@code latencyMs}: arrival (before any wait for a pooled
 *     connection) to the response, of every request that ended, same histogram and rounding as
 *     {@code connectMs}; {@code inFlight}: requests not ended at the end. For {@code short} a
 *     request is its connection (latency = connect to done).</li>
 * </ul>
 */
public final class Results {

    /** The error keys always present in {@code errors}, in the contract's order. */
    public static final List<String> FIXED_ERRORS = List.of("ETIMEDOUT", "ECONNREFUSED", "ECONNRESET",
            "EHOSTUNREACH", "APP_TIMEOUT");
    private static final long NS_PER_S = 1_000_000_000L;
    private static final long MAX_US = 3_600_000_000L;
    /** Upper bounds (exclusive) of the connect-time histogram's buckets in µs: 1-2-5 steps from 0.1 ms to 1 h. */
    static final long[] BUCKET_US = buckets();

    private final int seconds;
    private final Histogram connectUs = new Histogram(MAX_US, 3);
    private final long[] byResult = new long[ConnectResult.values().length];
    private final TreeMap<Integer, Long> synRtx = new TreeMap<>();
    private final long[] connectBuckets = new long[BUCKET_US.length];
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
    private final Histogram latencyUs = new Histogram(MAX_US, 3);
    private final long[] requestsByResult = new long[ConnectResult.values().length];
    private final long[] secRequests;
    private final long[] secRequestsFailed;
    private long requestsAttempted;
    private long requestsInFlight;
    /** Requests answered or failed on a connection each backend pod accepted. */
    private final Map<String, long[]> requestsPerBackend = new java.util.HashMap<>();

    /** A collector for a run of this simulated length (the timeline has one entry per started second). */
    public Results(long durationNs) {
        this.seconds = (int) Math.max(1, (durationNs + NS_PER_S - 1) / NS_PER_S);
        this.secAttempted = new long[seconds];
        this.secFailed = new long[seconds];
        this.secDelayed = new long[seconds];
        this.secRequests = new long[seconds];
        this.secRequestsFailed = new long[seconds];
    }

    /**
     * Adds one request of the generated load.
     *
     * @param result what the application read
     * @param arrivalNs when the request arose
     * @param endNs when it ended
     */
    public void addRequest(ConnectResult result, long arrivalNs, long endNs) {
        addRequest(result, arrivalNs, endNs, null);
    }

    /**
     * Adds one request of the generated load that a backend pod's connection carried.
     *
     * @param backendPod the pod that accepted the connection the request went on, or null
     */
    public void addRequest(ConnectResult result, long arrivalNs, long endNs, String backendPod) {
        if (backendPod != null) {
            requestsPerBackend.computeIfAbsent(backendPod, k -> new long[1])[0]++;
        }
        requestsAttempted++;
        requestsByResult[result.ordinal()]++;
        latencyUs.recordValue(Math.min(MAX_US, Math.max(0, (endNs - arrivalNs + 500) / 1000)));
        int sec = (int) Math.min(seconds - 1, Math.max(0, arrivalNs / NS_PER_S));
        secRequests[sec]++;
        if (result != ConnectResult.OK) {
            secRequestsFailed[sec]++;
        }
    }

    /** Counts requests that arose but had not ended when the run ended. */
    public void addRequestsInFlight(long n) {
        requestsInFlight += n;
    }

    /** The {@code requests} block. */
    public Requests requests() {
        Map<String, Long> errors = errorMap(requestsByResult);
        long ok = requestsByResult[ConnectResult.OK.ordinal()];
        return new Requests(requestsAttempted, ok, requestsAttempted - ok, errors, percentiles(latencyUs),
                requestsInFlight);
    }

    private static Map<String, Long> errorMap(long[] counts) {
        Map<String, Long> errors = new LinkedHashMap<>();
        for (String k : FIXED_ERRORS) {
            errors.put(k, counts[ConnectResult.valueOf(k).ordinal()]);
        }
        TreeMap<String, Long> others = new TreeMap<>();
        for (ConnectResult c : ConnectResult.values()) {
            if (c != ConnectResult.OK && !FIXED_ERRORS.contains(c.name()) && counts[c.ordinal()] > 0) {
                others.put(c.name(), counts[c.ordinal()]);
            }
        }
        errors.putAll(others);
        return Collections.unmodifiableMap(errors);
    }

    private static ConnectMs percentiles(Histogram h) {
        boolean any = h.getTotalCount() > 0;
        return new ConnectMs(any ? ms(h.getValueAtPercentile(50)) : 0, any ? ms(h.getValueAtPercentile(90)) : 0,
                any ? ms(h.getValueAtPercentile(99)) : 0, any ? ms(h.getValueAtPercentile(99.9)) : 0,
                any ? ms(h.getMaxValue()) : 0);
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
            long us = Math.min(MAX_US, (r.connectNs() + 500) / 1000);
            connectUs.recordValue(us);
            int k = 0;
            while (k < BUCKET_US.length - 1 && us >= BUCKET_US[k]) {
                k++;
            }
            connectBuckets[k]++;
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
                Collections.unmodifiableSortedMap(synRetransmissions()), inFlight, histogram());
    }

    /** The connect-time buckets from the first to the last that holds a connection. */
    private List<Bucket> histogram() {
        int first = 0;
        int last = connectBuckets.length - 1;
        while (first <= last && connectBuckets[first] == 0) {
            first++;
        }
        while (last >= first && connectBuckets[last] == 0) {
            last--;
        }
        List<Bucket> out = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            out.add(new Bucket(k == 0 ? 0 : BUCKET_US[k - 1] / 1000.0, BUCKET_US[k] / 1000.0, connectBuckets[k]));
        }
        return Collections.unmodifiableList(out);
    }

    private static long[] buckets() {
        List<Long> b = new ArrayList<>();
        for (long decade = 100; decade < MAX_US; decade *= 10) {
            b.add(decade);
            b.add(decade * 2);
            b.add(decade * 5);
        }
        long[] out = new long[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
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
                    b == null ? 0 : b[1], requestsOf(p.name())));
        }
        for (String name : new TreeMap<>(perBackend).keySet()) {
            if (!listed.contains(name)) {
                long[] b = perBackend.get(name);
                out.add(new Backend(name, null, 0, b[0], b[1], requestsOf(name)));
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
            out.add(new Second(s, secAttempted[s], secFailed[s], secDelayed[s], Collections.unmodifiableMap(b),
                    secRequests[s], secRequestsFailed[s]));
        }
        return out;
    }

    /**
     * The {@code connections} block.
     *
     * @param errors failed connections by result, the fixed keys first
     * @param synRetransmissions connections by number of SYN retransmissions
     * @param inFlight connections opened and not done when the run ended (not in {@code attempted})
     * @param connectHistogram connect times in 1-2-5 buckets (0.1, 0.2, 0.5, 1 ms, …), from the first
     *     to the last non-empty one, for the report's distribution chart
     */
    public record Connections(long attempted, long succeeded, long failed, Map<String, Long> errors, long delayed,
                              ConnectMs connectMs, SortedMap<Integer, Long> synRetransmissions, long inFlight,
                              List<Bucket> connectHistogram) {
    }

    /** Connections whose connect time was at least {@code fromMs} and less than {@code toMs}. */
    public record Bucket(double fromMs, double toMs, long count) {
    }

    /** Connect-time percentiles in milliseconds, one decimal. */
    public record ConnectMs(double p50, double p90, double p99, double p999, double max) {
    }

    private long requestsOf(String pod) {
        long[] n = requestsPerBackend.get(pod);
        return n == null ? 0 : n[0];
    }

    /**
     * One backend pod's counts.
     *
     * @param ip the pod's address, null for a pod not in the world's list
     * @param connections connections the pod accepted whose record arrived
     * @param requests requests of the generated load that ended on a connection the pod accepted
     *     (pooled: counted even while the connection is still open)
     */
    public record Backend(String pod, String ip, int node, long connections, long failed, long requests) {

        /** A backend without request counts. */
        public Backend(String pod, String ip, int node, long connections, long failed) {
            this(pod, ip, node, connections, failed, 0);
        }
    }

    /**
     * The {@code requests} block.
     *
     * @param errors failed requests by result, the fixed keys first
     * @param latencyMs arrival-to-end percentiles
     * @param inFlight requests not ended when the run ended (not in {@code attempted})
     */
    public record Requests(long attempted, long succeeded, long failed, Map<String, Long> errors, ConnectMs latencyMs,
                           long inFlight) {
    }

    /** One simulated second of the timeline. */
    public record Second(int second, long attempted, long failed, long delayed, Map<String, Long> backends,
                         long requests, long requestsFailed) {

        /** A second without requests. */
        public Second(int second, long attempted, long failed, long delayed, Map<String, Long> backends) {
            this(second, attempted, failed, delayed, backends, 0, 0);
        }
    }
}
