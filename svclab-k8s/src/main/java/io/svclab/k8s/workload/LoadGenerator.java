package io.svclab.k8s.workload;

import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectSpec;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.net.tcp.KeepAliveClient;
import io.svclab.net.tcp.KeepAliveConnection;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import io.svclab.sim.Timer;
import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Drives one client pod's {@link ClientLoad} on the simulated clock.
 *
 * <p>Open loop: the next arrival is scheduled when the current one fires, so one long-lived
 * action carries the whole stream. Poisson gaps are {@code -ln(1-U)/rate} with U from the stream
 * {@code client/<pod>/arrivals}, rounded to the nanosecond; constant arrivals are
 * {@code round(1e9/rate)} ns apart, the first one at a phase in {@code [0, interval)} drawn from
 * {@code client/<pod>/phase} so that several client pods do not fire in lock-step.
 *
 * <p>Closed loop: {@code concurrency} workers start together at the start time; each opens its
 * next connection the moment the previous one is done. A connection that fails at once (no route,
 * no local port) makes its worker wait {@link #IMMEDIATE_FAILURE_BACKOFF_NS} before the next one,
 * so the simulated clock advances.
 *
 * <p>Every connection's record goes to the sink when the application is done with it. Connections
 * still in flight when the run ends have no record; {@link #inFlight()} counts them. Each request
 * also gets a {@link RequestRecord} in the request sink (for {@code short}: the connection's
 * result, from connect to done).
 *
 * <p>Pooled ({@link ClientLoad.Pattern#POOLED}, an HTTP/1.1 client such as Go's
 * {@code http.Transport}): arrivals (open or closed loop, as above) are requests. A request takes
 * the most recently used idle connection of the pod's pool (LIFO, as {@code http.Transport}'s
 * idle list), else opens a new connection (its first request goes out once established) while
 * fewer than {@code maxConnections} are open, else waits in a FIFO queue; a connection that
 * becomes idle or closes serves the head of the queue. A request waiting longer than the
 * application timeout fails with {@code APP_TIMEOUT} at that instant, with no connection (Go's
 * {@code Client.Timeout} includes the wait for a connection). Idle connections close after
 * {@code idleTimeoutNs} (in the TCP model). A connection opened for a request carries that
 * request even if another connection becomes idle first (Go hands the request to whichever comes
 * first). A request that fails is not retried. Pooled connections are not rebalanced: one opened
 * before a rollout keeps its backend until it closes.
 */
public final class LoadGenerator implements Action {

    /** A closed-loop worker's pause after a connection that failed without taking any time, ns (1 ms). */
    public static final long IMMEDIATE_FAILURE_BACKOFF_NS = 1_000_000L;
    private static final double NS_PER_S = 1e9;

    private final Simulation sim;
    private final ClientLoad load;
    private final Connector connector;
    private final Consumer<ConnectionRecord> sink;
    private final ConnectSpec spec;
    private final SplittableRandom arrivalsRng;
    private final long constantIntervalNs;
    private final Consumer<ConnectionRecord> onDone = this::done;
    private final Action reopen = new Action() {
        @Override
        public void run() {
            open();
        }

        @Override
        public String describe() {
            return load.pod() + " worker";
        }
    };
    private long opened;
    private long finished;
    private boolean started;
    private final Consumer<RequestRecord> requestSink;
    private final KeepAliveConnector keepAlive;
    private long requests;
    private long requestsDone;
    // pooled state
    private final ArrayDeque<KeepAliveConnection> idle = new ArrayDeque<>();
    private final Object2LongOpenHashMap<KeepAliveConnection> busySince = new Object2LongOpenHashMap<>();
    private final LongArrayFIFOQueue waiting = new LongArrayFIFOQueue();
    private int openConnections;
    private long connectingArrival;
    private boolean dispatchScheduled;
    private final Pool pool = new Pool();
    private final Action dispatch = new Action() {
        @Override
        public void run() {
            dispatchScheduled = false;
            drainQueue();
        }

        @Override
        public String describe() {
            return load.pod() + " pool dispatch";
        }
    };
    private final Action nextRequest = new Action() {
        @Override
        public void run() {
            arrive();
        }

        @Override
        public String describe() {
            return load.pod() + " worker request";
        }
    };
    private final Timer queueTimer;

    /**
     * A generator of {@code short} load without request records.
     *
     * @param sim the simulation whose clock and random streams drive the load
     * @param load what to generate
     * @param connector opens a connection from the client pod
     * @param sink receives every connection's record
     * @throws IllegalArgumentException for pattern {@code pooled}, which needs a {@link KeepAliveConnector}
     */
    public LoadGenerator(Simulation sim, ClientLoad load, Connector connector, Consumer<ConnectionRecord> sink) {
        this(sim, load, connector, null, sink, null);
    }

    /**
     * @param sim the simulation whose clock and random streams drive the load
     * @param load what to generate
     * @param connector opens a connection from the client pod ({@code short})
     * @param keepAlive opens a keep-alive connection from the client pod ({@code pooled}); may be
     *     null for a {@code short} load
     * @param sink receives every connection's record
     * @param requestSink receives every request's record, or null
     */
    public LoadGenerator(Simulation sim, ClientLoad load, Connector connector, KeepAliveConnector keepAlive,
                         Consumer<ConnectionRecord> sink, Consumer<RequestRecord> requestSink) {
        if (load.pattern() == ClientLoad.Pattern.POOLED && keepAlive == null) {
            throw new IllegalArgumentException(load.pod() + ": pattern pooled needs a keep-alive connector");
        }
        this.keepAlive = keepAlive;
        this.requestSink = requestSink;
        this.queueTimer = new Timer(sim, Priority.CONTROL, new Action() {
            @Override
            public void run() {
                expireWaiting();
            }

            @Override
            public String describe() {
                return load.pod() + " pool queue timeout";
            }
        });
        this.sim = sim;
        this.load = load;
        this.connector = connector;
        this.sink = sink;
        this.spec = ConnectSpec.to(load.dstAddr(), load.dstPort()).withAppTimeout(load.timeoutNs())
                .closedBy(load.closer(), load.closeKind());
        this.arrivalsRng = sim.rng("client/" + load.pod() + "/arrivals");
        double rate = load.connectionsPerSecond();
        this.constantIntervalNs = rate > 0 ? Math.max(1L, Math.round(NS_PER_S / rate)) : 0L;
    }

    /** Schedules the load; call once, before or during the run. */
    public void start() {
        if (started) {
            throw new IllegalStateException(load.pod() + ": already started");
        }
        started = true;
        if (!load.active()) {
            return;
        }
        long first = load.startNs();
        if (load.concurrency() == 0 && load.arrivals() == ClientLoad.Arrivals.CONSTANT) {
            first += sim.rng("client/" + load.pod() + "/phase").nextLong(constantIntervalNs);
        } else if (load.concurrency() == 0) {
            first += poissonGapNs();
        }
        if (first < load.stopNs()) {
            sim.schedule(first, Priority.CONTROL, this);
        }
    }

    /** An open-loop arrival, or the closed loop's start. */
    @Override
    public void run() {
        if (load.concurrency() > 0) {
            for (int i = 0; i < load.concurrency(); i++) {
                open();
            }
            return;
        }
        long now = sim.now();
        long next = now + (load.arrivals() == ClientLoad.Arrivals.CONSTANT ? constantIntervalNs : poissonGapNs());
        if (next < load.stopNs()) {
            sim.schedule(next, Priority.CONTROL, this);
        }
        open();
    }

    private long poissonGapNs() {
        double u = arrivalsRng.nextDouble();
        return Math.round(-Math.log1p(-u) * NS_PER_S / load.connectionsPerSecond());
    }

    private void open() {
        if (sim.now() >= load.stopNs()) {
            return;
        }
        if (load.pattern() == ClientLoad.Pattern.POOLED) {
            arrive();
            return;
        }
        opened++;
        requests++;
        connector.connect(spec, onDone);
    }

    private void done(ConnectionRecord r) {
        finished++;
        sink.accept(r);
        requestsDone++;
        if (requestSink != null) {
            requestSink.accept(new RequestRecord(load.pod(), r.result(), r.startNs(), r.endNs(), r.flowId()));
        }
        if (load.concurrency() > 0) {
            long now = sim.now();
            long at = r.endNs() == r.startNs() ? now + IMMEDIATE_FAILURE_BACKOFF_NS : now;
            if (at < load.stopNs()) {
                sim.schedule(at, Priority.CONTROL, reopen);
            }
        }
    }

    // ------------------------------------------------------------------ pooled

    /** A request arises now (open-loop arrival or a closed-loop worker's next request). */
    private void arrive() {
        long now = sim.now();
        if (now >= load.stopNs()) {
            return;
        }
        requests++;
        if (waiting.isEmpty() && serve(now)) {
            return;
        }
        waiting.enqueue(now);
        if (load.timeoutNs() > 0 && !queueTimer.isPending()) {
            queueTimer.schedule(waiting.firstLong() + load.timeoutNs());
        }
    }

    /** Hands the request that arrived at {@code arrival} to a connection, if one can be had now. */
    private boolean serve(long arrival) {
        while (!idle.isEmpty()) {
            KeepAliveConnection c = idle.pop();
            if (c.isIdle()) {
                busySince.put(c, arrival);
                c.request();
                return true;
            }
        }
        if (openConnections >= load.maxConnections()) {
            return false;
        }
        openConnections++;
        opened++;
        connectingArrival = arrival;
        KeepAliveConnection c = keepAlive.open(spec, load.idleTimeoutNs(), pool);
        if (c.isOpen()) {
            busySince.put(c, arrival);
        }
        return true;
    }

    /** Serves waiting requests while connections can be had. */
    private void drainQueue() {
        while (!waiting.isEmpty() && serve(waiting.firstLong())) {
            waiting.dequeueLong();
        }
        rearmQueueTimer();
    }

    private void rearmQueueTimer() {
        if (waiting.isEmpty() || load.timeoutNs() == 0) {
            queueTimer.cancel();
        } else {
            queueTimer.schedule(waiting.firstLong() + load.timeoutNs());
        }
    }

    /** Requests that waited for a connection for their whole timeout fail now. */
    private void expireWaiting() {
        long now = sim.now();
        while (!waiting.isEmpty() && waiting.firstLong() + load.timeoutNs() <= now) {
            long arrival = waiting.dequeueLong();
            requestEnded(new RequestRecord(load.pod(), ConnectResult.APP_TIMEOUT, arrival, now, -1));
        }
        rearmQueueTimer();
    }

    private void scheduleDispatch() {
        if (!dispatchScheduled && !waiting.isEmpty()) {
            dispatchScheduled = true;
            sim.schedule(sim.now(), Priority.CONTROL, dispatch);
        }
    }

    private void requestEnded(RequestRecord r) {
        requestsDone++;
        if (requestSink != null) {
            requestSink.accept(r);
        }
        if (load.concurrency() > 0) {
            long at = r.endNs() == r.arrivalNs() ? sim.now() + IMMEDIATE_FAILURE_BACKOFF_NS : sim.now();
            if (at < load.stopNs()) {
                sim.schedule(at, Priority.CONTROL, nextRequest);
            }
        }
    }

    /** The pool's view of its connections. */
    private final class Pool implements KeepAliveClient {

        @Override
        public void requestDone(KeepAliveConnection c, ConnectResult result) {
            long arrival = busySince.containsKey(c) ? busySince.removeLong(c) : connectingArrival;
            requestEnded(new RequestRecord(load.pod(), result, arrival, sim.now(), c.flowId()));
            if (c.isIdle()) {
                idle.push(c);
                scheduleDispatch();
            }
        }

        @Override
        public void closed(KeepAliveConnection c, ConnectionRecord record) {
            openConnections--;
            idle.remove(c);
            busySince.removeLong(c);
            finished++;
            sink.accept(record);
            scheduleDispatch();
        }
    }

    /** Requests that arose so far (for {@code short}: connections opened). */
    public long requests() {
        return requests;
    }

    /** Requests arisen and not yet ended (waiting for a connection or outstanding on one). */
    public long requestsInFlight() {
        return requests - requestsDone;
    }

    /** Connections opened so far. */
    public long opened() {
        return opened;
    }

    /** Connections whose record reached the sink. */
    public long finished() {
        return finished;
    }

    /** Connections opened and not yet done. */
    public long inFlight() {
        return opened - finished;
    }

    /** The load this generator drives. */
    public ClientLoad load() {
        return load;
    }

    @Override
    public String describe() {
        return load.pod() + " arrival";
    }
}
