package io.svclab.k8s.workload;

import io.svclab.net.tcp.ConnectSpec;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;

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
 * still in flight when the run ends have no record; {@link #inFlight()} counts them.
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

    /**
     * @param sim the simulation whose clock and random streams drive the load
     * @param load what to generate
     * @param connector opens a connection from the client pod
     * @param sink receives every connection's record
     * @throws IllegalArgumentException for pattern {@code pooled}, which is not modelled
     */
    public LoadGenerator(Simulation sim, ClientLoad load, Connector connector, Consumer<ConnectionRecord> sink) {
        if (load.pattern() == ClientLoad.Pattern.POOLED) {
            throw new IllegalArgumentException(load.pod() + ": pattern pooled (keep-alive pools) is not modelled:"
                    + " the TCP model runs one request per connection; use pattern short");
        }
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
        opened++;
        connector.connect(spec, onDone);
    }

    private void done(ConnectionRecord r) {
        finished++;
        sink.accept(r);
        if (load.concurrency() > 0) {
            long now = sim.now();
            long at = r.endNs() == r.startNs() ? now + IMMEDIATE_FAILURE_BACKOFF_NS : now;
            if (at < load.stopNs()) {
                sim.schedule(at, Priority.CONTROL, reopen);
            }
        }
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
