package io.svclab.run;

import io.svclab.k8s.Pod;
import io.svclab.net.Ip4;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static ConnectionRecord rec(ConnectResult r, long startNs, long connectNs, int synRtx) {
        return new ConnectionRecord("caller-0", r, startNs, connectNs, startNs + connectNs + 2 * MS, synRtx, 40000,
                Ip4.parse("10.96.0.10"), 80, 1);
    }

    private static List<Pod> pods() {
        return List.of(new Pod("backend-0", "backend", false, 1, Ip4.parse("10.244.1.2"), null),
                new Pod("backend-1", "backend", false, 1, Ip4.parse("10.244.1.3"), null),
                new Pod("caller-0", "caller", true, 1, Ip4.parse("10.244.1.4"), null));
    }

    @Test
    void emptyRunHasZerosAndTheFixedErrorKeys() {
        Results r = new Results(3 * S);
        Results.Connections c = r.connections();
        assertThat(c.attempted()).isZero();
        assertThat(c.errors()).containsExactly(Map.entry("ETIMEDOUT", 0L), Map.entry("ECONNREFUSED", 0L),
                Map.entry("ECONNRESET", 0L), Map.entry("EHOSTUNREACH", 0L), Map.entry("APP_TIMEOUT", 0L));
        assertThat(c.connectMs()).isEqualTo(new Results.ConnectMs(0, 0, 0, 0, 0));
        assertThat(r.timeline(pods())).hasSize(3);
    }

    @Test
    void connectTimesFallIntoOneTwoFiveBucketsFromTheFirstToTheLastNonEmpty() {
        Results r = new Results(200 * S);
        r.add(rec(ConnectResult.OK, 0, 400_000, 0), "backend-0");              // 0.4 ms
        r.add(rec(ConnectResult.OK, 0, 499_000, 0), "backend-0");              // 0.499 ms
        r.add(rec(ConnectResult.OK, 0, 500_000, 0), "backend-0");              // 0.5 ms: the next bucket
        r.add(rec(ConnectResult.OK, 0, 1_000_400_000L, 1), "backend-1");       // one SYN retransmission
        r.add(rec(ConnectResult.ETIMEDOUT, 0, 127_000 * MS, 6), null);
        r.add(rec(ConnectResult.EADDRNOTAVAIL, 0, -1, 0), null);               // sent no SYN: not counted
        assertThat(r.connections().connectHistogram()).containsExactly(
                new Results.Bucket(0.2, 0.5, 2), new Results.Bucket(0.5, 1, 1), new Results.Bucket(1, 2, 0),
                new Results.Bucket(2, 5, 0), new Results.Bucket(5, 10, 0), new Results.Bucket(10, 20, 0),
                new Results.Bucket(20, 50, 0), new Results.Bucket(50, 100, 0), new Results.Bucket(100, 200, 0),
                new Results.Bucket(200, 500, 0), new Results.Bucket(500, 1000, 0), new Results.Bucket(1000, 2000, 1),
                new Results.Bucket(2000, 5000, 0), new Results.Bucket(5000, 10000, 0),
                new Results.Bucket(10000, 20000, 0), new Results.Bucket(20000, 50000, 0),
                new Results.Bucket(50000, 100000, 0), new Results.Bucket(100000, 200000, 1));
        assertThat(new Results(S).connections().connectHistogram()).isEmpty();
    }

    @Test
    void countsSucceededFailedDelayedAndErrors() {
        Results r = new Results(10 * S);
        r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-0");
        r.add(rec(ConnectResult.OK, 100 * MS, 1_000_200_000L, 1), "backend-1");
        r.add(rec(ConnectResult.ETIMEDOUT, 200 * MS, 127_000 * MS, 6), null);
        r.add(rec(ConnectResult.APP_TIMEOUT, 300 * MS, 3000 * MS, 2), null);
        r.add(rec(ConnectResult.ECONNRESET, 400 * MS, 300_000, 0), "backend-0");
        r.add(rec(ConnectResult.EOF, 500 * MS, 300_000, 0), "backend-1");
        r.add(rec(ConnectResult.EADDRNOTAVAIL, 600 * MS, -1, 0), null);
        r.addInFlight(4);
        Results.Connections c = r.connections();
        assertThat(c.attempted()).isEqualTo(7);
        assertThat(c.succeeded()).isEqualTo(2);
        assertThat(c.failed()).isEqualTo(5);
        assertThat(c.delayed()).isEqualTo(1);
        assertThat(c.inFlight()).isEqualTo(4);
        assertThat(c.errors()).containsExactly(Map.entry("ETIMEDOUT", 1L), Map.entry("ECONNREFUSED", 0L),
                Map.entry("ECONNRESET", 1L), Map.entry("EHOSTUNREACH", 0L), Map.entry("APP_TIMEOUT", 1L),
                Map.entry("EADDRNOTAVAIL", 1L), Map.entry("EOF", 1L));
        assertThat(c.synRetransmissions()).containsExactly(Map.entry(0, 4L), Map.entry(1, 1L), Map.entry(2, 1L),
                Map.entry(6, 1L));
    }

    @Test
    void connectPercentilesInMillisecondsWithOneDecimal() {
        Results r = new Results(10 * S);
        for (int i = 0; i < 990; i++) {
            r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-0");
        }
        for (int i = 0; i < 9; i++) {
            r.add(rec(ConnectResult.OK, 0, 1_000_300_000L, 1), "backend-0");
        }
        r.add(rec(ConnectResult.APP_TIMEOUT, 0, 3_001_200_000L, 2), null);
        Results.ConnectMs ms = r.connections().connectMs();
        assertThat(ms.p50()).isEqualTo(0.2);
        assertThat(ms.p90()).isEqualTo(0.2);
        assertThat(ms.p99()).isEqualTo(0.2);
        // 3 significant digits: 1000.3 ms falls in a bucket of 0.5 ms
        assertThat(ms.p999()).isBetween(1000.3, 1000.9);
        assertThat(ms.max()).isBetween(3001.2, 3003.2);
    }

    @Test
    void connectionsWithoutASynAreNotInTheConnectTimes() {
        Results r = new Results(S);
        r.add(rec(ConnectResult.EADDRNOTAVAIL, 0, -1, 0), null);
        assertThat(r.connections().connectMs().max()).isEqualTo(0.0);
        assertThat(r.connections().failed()).isEqualTo(1);
    }

    @Test
    void backendsCountAcceptedAndFailedInPodOrder() {
        Results r = new Results(5 * S);
        r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-1");
        r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-1");
        r.add(rec(ConnectResult.ECONNRESET, 0, 200_000, 0), "backend-1");
        r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-0");
        r.add(rec(ConnectResult.ETIMEDOUT, 0, 127_000 * MS, 6), null);
        r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-7");
        assertThat(r.backends(pods())).containsExactly(
                new Results.Backend("backend-0", "10.244.1.2", 1, 1, 0),
                new Results.Backend("backend-1", "10.244.1.3", 1, 3, 1),
                new Results.Backend("backend-7", null, 0, 1, 0));
    }

    @Test
    void timelineCountsEachConnectionInTheSecondItStarted() {
        Results r = new Results(3 * S);
        r.add(rec(ConnectResult.OK, 0, 200_000, 0), "backend-0");
        r.add(rec(ConnectResult.OK, 999_999_999L, 1_000_200_000L, 1), "backend-1");
        r.add(rec(ConnectResult.OK, S, 200_000, 0), "backend-0");
        r.add(rec(ConnectResult.APP_TIMEOUT, 2 * S + 5 * MS, 3000 * MS, 2), null);
        List<Results.Second> t = r.timeline(pods());
        assertThat(t).containsExactly(
                new Results.Second(0, 2, 0, 1, Map.of("backend-0", 1L, "backend-1", 1L)),
                new Results.Second(1, 1, 0, 0, Map.of("backend-0", 1L)),
                new Results.Second(2, 1, 1, 0, Map.of()));
        assertThat(t.get(0).backends().keySet()).containsExactly("backend-0", "backend-1");
    }

    @Test
    void aPartialLastSecondHasItsOwnEntry() {
        assertThat(new Results(2500 * MS).timeline(pods())).extracting(Results.Second::second).containsExactly(0, 1, 2);
    }

    @Test
    void requestsAreCountedByResultWithLatencyFromArrivalAndPerSecondOfArrival() {
        Results r = new Results(3 * S);
        r.addRequest(ConnectResult.OK, 100 * MS, 150 * MS);
        r.addRequest(ConnectResult.OK, 900 * MS, 1020 * MS);
        r.addRequest(ConnectResult.EOF, 1500 * MS, 1530 * MS);
        r.addRequest(ConnectResult.APP_TIMEOUT, 2000 * MS, 5000 * MS);
        r.addRequestsInFlight(2);
        Results.Requests q = r.requests();
        assertThat(q.attempted()).isEqualTo(4);
        assertThat(q.succeeded()).isEqualTo(2);
        assertThat(q.failed()).isEqualTo(2);
        assertThat(q.errors()).containsExactly(Map.entry("ETIMEDOUT", 0L), Map.entry("ECONNREFUSED", 0L),
                Map.entry("ECONNRESET", 0L), Map.entry("EHOSTUNREACH", 0L), Map.entry("APP_TIMEOUT", 1L),
                Map.entry("EOF", 1L));
        assertThat(q.latencyMs().p50()).isEqualTo(50.0);
        assertThat(q.latencyMs().max()).isEqualTo(3000.3); // 3 s in a 3-digit HdrHistogram: its bucket top
        assertThat(q.inFlight()).isEqualTo(2);
        assertThat(r.timeline(pods())).extracting(Results.Second::requests).containsExactly(2L, 1L, 1L);
        assertThat(r.timeline(pods())).extracting(Results.Second::requestsFailed).containsExactly(0L, 1L, 1L);
        // connections are counted apart
        assertThat(r.connections().attempted()).isZero();
    }
}
