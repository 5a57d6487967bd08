package io.svclab.k8s.workload;

import io.svclab.net.tcp.CloseKind;
import io.svclab.net.tcp.Closer;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.net.tcp.KeepAliveClient;
import io.svclab.net.tcp.KeepAliveConnection;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadGeneratorTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /** A connector whose connections take a fixed time and succeed; it remembers their start times. */
    private static final class FakeConnector implements Connector {
        final Simulation sim;
        final long durationNs;
        final List<Long> starts = new ArrayList<>();
        int open;
        int maxOpen;

        FakeConnector(Simulation sim, long durationNs) {
            this.sim = sim;
            this.durationNs = durationNs;
        }

        @Override
        public void connect(io.svclab.net.tcp.ConnectSpec spec, java.util.function.Consumer<ConnectionRecord> done) {
            long start = sim.now();
            starts.add(start);
            open++;
            maxOpen = Math.max(maxOpen, open);
            sim.scheduleIn(durationNs, Priority.CONTROL, () -> {
                open--;
                done.accept(new ConnectionRecord("c", ConnectResult.OK, start, 100_000, sim.now(), 0, 40000,
                        spec.dstAddr(), spec.dstPort(), starts.size()));
            });
        }
    }

    private static ClientLoad load(double rate, ClientLoad.Arrivals arrivals, int concurrency, long stopNs) {
        return new ClientLoad("caller-0", 0x0a60000a, 80, rate, arrivals, concurrency, ClientLoad.Pattern.SHORT,
                3 * S, Closer.SERVER, CloseKind.FIN, 0, stopNs);
    }

    private static List<Long> run(long seed, ClientLoad l, long durationNs) {
        Simulation sim = new Simulation(seed);
        FakeConnector c = new FakeConnector(sim, 2 * MS);
        List<ConnectionRecord> sink = new ArrayList<>();
        new LoadGenerator(sim, l, c, sink::add).start();
        sim.runUntil(durationNs);
        assertThat(sink).hasSize(c.starts.size());
        return c.starts;
    }

    @Test
    void poissonArrivalsHaveTheRequestedMeanRate() {
        List<Long> starts = run(7, load(500, ClientLoad.Arrivals.POISSON, 0, 100 * S), 101 * S);
        // 50000 expected; the standard deviation of a Poisson count is sqrt(50000) = 224
        assertThat(starts.size()).isBetween(49_000, 51_000);
        double meanGapMs = (starts.get(starts.size() - 1) - starts.get(0)) / 1e6 / (starts.size() - 1);
        assertThat(meanGapMs).isCloseTo(2.0, within(0.05));
        assertThat(starts).allMatch(t -> t < 100 * S);
    }

    @Test
    void poissonGapsVaryLikeAnExponential() {
        List<Long> starts = run(3, load(100, ClientLoad.Arrivals.POISSON, 0, 100 * S), 101 * S);
        double sum = 0;
        double sq = 0;
        int n = starts.size() - 1;
        for (int i = 1; i < starts.size(); i++) {
            double g = (starts.get(i) - starts.get(i - 1)) / 1e6;
            sum += g;
            sq += g * g;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        // an exponential's standard deviation equals its mean (10 ms)
        assertThat(sd / mean).isCloseTo(1.0, within(0.05));
    }

    @Test
    void sameSeedSameArrivalsOtherSeedOtherArrivals() {
        ClientLoad l = load(200, ClientLoad.Arrivals.POISSON, 0, 5 * S);
        assertThat(run(11, l, 6 * S)).isEqualTo(run(11, l, 6 * S));
        assertThat(run(11, l, 6 * S)).isNotEqualTo(run(12, l, 6 * S));
    }

    @Test
    void constantArrivalsAreEvenlySpacedAndExact() {
        List<Long> starts = run(5, load(50, ClientLoad.Arrivals.CONSTANT, 0, 5 * S), 6 * S);
        assertThat(starts).hasSize(250);
        assertThat(starts.get(0)).isBetween(0L, 20 * MS - 1);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isEqualTo(20 * MS);
        }
    }

    @Test
    void constantPhaseDependsOnThePodAndIsStable() {
        ClientLoad a = load(50, ClientLoad.Arrivals.CONSTANT, 0, S);
        ClientLoad b = new ClientLoad("caller-1", a.dstAddr(), a.dstPort(), 50, ClientLoad.Arrivals.CONSTANT, 0,
                ClientLoad.Pattern.SHORT, 0, Closer.CLIENT, CloseKind.FIN, 0, S);
        assertThat(run(1, a, 2 * S).get(0)).isEqualTo(run(1, a, 2 * S).get(0));
        assertThat(run(1, a, 2 * S).get(0)).isNotEqualTo(run(1, b, 2 * S).get(0));
    }

    @Test
    void startAndStopBoundTheArrivals() {
        ClientLoad l = new ClientLoad("caller-0", 1, 80, 100, ClientLoad.Arrivals.CONSTANT, 0,
                ClientLoad.Pattern.SHORT, 0, Closer.CLIENT, CloseKind.FIN, 2 * S, 4 * S);
        List<Long> starts = run(9, l, 10 * S);
        assertThat(starts).hasSize(200);
        assertThat(starts).allMatch(t -> t >= 2 * S && t < 4 * S);
    }

    @Test
    void closedLoopKeepsConcurrencyConnectionsOpen() {
        Simulation sim = new Simulation(1);
        FakeConnector c = new FakeConnector(sim, 10 * MS);
        List<ConnectionRecord> sink = new ArrayList<>();
        LoadGenerator g = new LoadGenerator(sim, load(0, ClientLoad.Arrivals.POISSON, 4, S), c, sink::add);
        g.start();
        sim.runUntil(2 * S);
        // 4 workers, 10 ms each, for 1 s: 100 connections each
        assertThat(c.maxOpen).isEqualTo(4);
        assertThat(c.starts).hasSize(400);
        assertThat(sink).hasSize(400);
        assertThat(g.opened()).isEqualTo(400);
        assertThat(g.inFlight()).isZero();
    }

    @Test
    void closedLoopWorkerBacksOffAfterAnImmediateFailure() {
        Simulation sim = new Simulation(1);
        List<ConnectionRecord> sink = new ArrayList<>();
        Connector failing = (spec, done) -> done.accept(new ConnectionRecord("c", ConnectResult.EADDRNOTAVAIL,
                sim.now(), -1, sim.now(), 0, 0, spec.dstAddr(), spec.dstPort(), 1));
        new LoadGenerator(sim, load(0, ClientLoad.Arrivals.POISSON, 2, 10 * MS), failing, sink::add).start();
        sim.runUntil(S);
        assertThat(sink).hasSize(20);
    }

    @Test
    void inFlightConnectionsAtTheEndHaveNoRecord() {
        Simulation sim = new Simulation(1);
        FakeConnector c = new FakeConnector(sim, 500 * MS);
        List<ConnectionRecord> sink = new ArrayList<>();
        LoadGenerator g = new LoadGenerator(sim, load(10, ClientLoad.Arrivals.CONSTANT, 0, S), c, sink::add);
        g.start();
        sim.runUntil(S);
        assertThat(g.opened()).isEqualTo(10);
        assertThat(g.inFlight()).isEqualTo(sink.isEmpty() ? 10 : 10 - sink.size());
        assertThat(g.finished() + g.inFlight()).isEqualTo(10);
    }

    @Test
    void pooledWithoutAKeepAliveConnectorIsRefusedWithAClearMessage() {
        Simulation sim = new Simulation(1);
        ClientLoad l = new ClientLoad("caller-0", 1, 80, 10, ClientLoad.Arrivals.CONSTANT, 0,
                ClientLoad.Pattern.POOLED, 0, Closer.CLIENT, CloseKind.FIN, 0, S);
        assertThatThrownBy(() -> new LoadGenerator(sim, l, (s, d) -> { }, r -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern pooled needs a keep-alive connector");
    }

    /**
     * Keep-alive connections that connect in 1 ms and answer each request 10 ms after it is sent;
     * they stay open until the test closes them.
     */
    private static final class FakeKeepAlive implements KeepAliveConnector {
        final Simulation sim;
        final List<FakeConn> opened = new ArrayList<>();

        FakeKeepAlive(Simulation sim) {
            this.sim = sim;
        }

        @Override
        public KeepAliveConnection open(io.svclab.net.tcp.ConnectSpec spec, long idleNs, KeepAliveClient client) {
            FakeConn c = new FakeConn(sim, client, opened.size() + 1);
            opened.add(c);
            sim.scheduleIn(MS, Priority.CONTROL, c::send);
            return c;
        }
    }

    private static final class FakeConn implements KeepAliveConnection {
        final Simulation sim;
        final KeepAliveClient client;
        final long flow;
        final long startNs;
        boolean open = true;
        boolean active = true;
        boolean closeAfterResponse;
        int done;

        FakeConn(Simulation sim, KeepAliveClient client, long flow) {
            this.sim = sim;
            this.client = client;
            this.flow = flow;
            this.startNs = sim.now();
        }

        void send() {
            sim.scheduleIn(10 * MS, Priority.CONTROL, () -> {
                active = false;
                done++;
                if (closeAfterResponse) {
                    open = false; // the server's FIN right behind the response: not idle any more
                }
                client.requestDone(this, ConnectResult.OK);
                if (closeAfterResponse) {
                    close();
                }
            });
        }

        @Override
        public void request() {
            assertThat(isIdle()).isTrue();
            active = true;
            send();
        }

        @Override
        public void close() {
            open = false;
            closeAfterResponse = false;
            client.closed(this, new ConnectionRecord("c", ConnectResult.OK, startNs, MS, sim.now(), 0, 40000, 1, 80,
                    flow));
        }

        @Override
        public boolean isIdle() {
            return open && !active;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public long flowId() {
            return flow;
        }

        @Override
        public int requestsDone() {
            return done;
        }
    }

    private static ClientLoad pooled(int concurrency, int maxConnections, long timeoutNs, long stopNs) {
        return new ClientLoad("caller-0", 1, 80, 0, ClientLoad.Arrivals.CONSTANT, concurrency,
                ClientLoad.Pattern.POOLED, timeoutNs, Closer.CLIENT, CloseKind.FIN, 0, stopNs, maxConnections, 90 * S);
    }

    private static String fmt(RequestRecord r) {
        return r.endNs() / 1000 + "us " + r.result() + " latency " + r.latencyNs() / 1000 + "us flow " + r.flowId();
    }

    @Test
    void pooledRequestsReuseOneKeepAliveConnection() {
        Simulation sim = new Simulation(1);
        FakeKeepAlive ka = new FakeKeepAlive(sim);
        List<RequestRecord> requests = new ArrayList<>();
        List<ConnectionRecord> conns = new ArrayList<>();
        LoadGenerator g = new LoadGenerator(sim, pooled(1, 4, 3 * S, 40 * MS), null, ka, conns::add, requests::add);
        g.start();
        sim.runUntil(S);
        // one worker: connect 1 ms + 10 ms, then 10 ms per request on the same connection until 40 ms
        assertThat(requests).extracting(LoadGeneratorTest::fmt).containsExactly(
                "11000us OK latency 11000us flow 1", "21000us OK latency 10000us flow 1",
                "31000us OK latency 10000us flow 1", "41000us OK latency 10000us flow 1");
        assertThat(g.opened()).isEqualTo(1);
        assertThat(ka.opened.get(0).done).isEqualTo(4);
        assertThat(conns).isEmpty(); // the connection is still open, idle in the pool
        assertThat(g.inFlight()).isEqualTo(1);
        assertThat(g.requests()).isEqualTo(4);
        assertThat(g.requestsInFlight()).isZero();
    }

    @Test
    void pooledRequestsBeyondMaxConnectionsWaitInFifoOrderAndTimeOutInTheQueue() {
        Simulation sim = new Simulation(1);
        FakeKeepAlive ka = new FakeKeepAlive(sim);
        List<RequestRecord> requests = new ArrayList<>();
        LoadGenerator g = new LoadGenerator(sim, pooled(3, 1, 15 * MS, 12 * MS), null, ka, r -> { },
                requests::add);
        g.start();
        sim.runUntil(S);
        // t=0: three requests, one connection: the first opens it, two wait. t=11 ms: the first is done and
        // its worker's next request queues behind the waiting ones; the oldest waiting one takes the connection.
        // t=15 ms: the third has waited for its whole 15 ms timeout. t=21 ms: the queued 11 ms request goes.
        assertThat(requests).extracting(LoadGeneratorTest::fmt).containsExactly(
                "11000us OK latency 11000us flow 1", "15000us APP_TIMEOUT latency 15000us flow -1",
                "21000us OK latency 21000us flow 1", "31000us OK latency 20000us flow 1");
        assertThat(g.opened()).isEqualTo(1);
    }

    @Test
    void aClosedPooledConnectionLeavesThePoolAndTheNextRequestOpensANewOne() {
        Simulation sim = new Simulation(1);
        FakeKeepAlive ka = new FakeKeepAlive(sim);
        List<RequestRecord> requests = new ArrayList<>();
        List<ConnectionRecord> conns = new ArrayList<>();
        LoadGenerator g = new LoadGenerator(sim, pooled(1, 1, 3 * S, 100 * MS), null, ka, conns::add, requests::add);
        g.start();
        sim.runUntil(5 * MS);
        ka.opened.get(0).closeAfterResponse = true;
        sim.runUntil(30 * MS);
        // the worker's next request at 11 ms finds no idle connection and opens a second one
        assertThat(conns).hasSize(1);
        assertThat(g.opened()).isEqualTo(2);
        assertThat(requests).extracting(LoadGeneratorTest::fmt).startsWith("11000us OK latency 11000us flow 1",
                "22000us OK latency 11000us flow 2");
    }

    @Test
    void noRateAndNoConcurrencyOpensNothing() {
        assertThat(run(1, load(0, ClientLoad.Arrivals.POISSON, 0, S), 2 * S)).isEmpty();
    }
}
