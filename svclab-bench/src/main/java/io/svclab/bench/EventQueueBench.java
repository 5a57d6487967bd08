package io.svclab.bench;

import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Steady-state throughput of the event queue through the public {@link Simulation} API: the queue
 * holds a fixed number of events, and every event, when it runs, schedules itself again at now
 * plus a random delay. One operation is one event executed (a pop and a push).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EventQueueBench {

    private static final int BATCH = 1000;
    /** Delays are uniform in [0, 1 ms), so the events of the queue interleave. */
    private static final long MAX_DELAY_NS = 1_000_000L;

    /** Events held by the queue in the steady state. */
    @Param({"1000", "100000"})
    public int queued;

    private Simulation sim;

    /** An event that schedules itself again when it runs. */
    private static final class Recurring implements Action {
        private final Simulation sim;
        private final SplittableRandom rnd;
        private final int priority;

        Recurring(Simulation sim, SplittableRandom rnd, int priority) {
            this.sim = sim;
            this.rnd = rnd;
            this.priority = priority;
        }

        @Override
        public void run() {
            sim.scheduleIn(rnd.nextLong(MAX_DELAY_NS), priority, this);
        }
    }

    /** Fills the queue with self-rescheduling events at random times. */
    @Setup
    public void setup() {
        sim = new Simulation(42);
        SplittableRandom rnd = sim.rng("bench/event-queue");
        int[] priorities = {Priority.CONTROL, Priority.TIMER, Priority.PACKET};
        for (int i = 0; i < queued; i++) {
            Recurring r = new Recurring(sim, rnd, priorities[i % priorities.length]);
            sim.schedule(rnd.nextLong(MAX_DELAY_NS), r.priority, r);
        }
    }

    /** Executes a batch of events; the score is events per second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long stepEvents() {
        for (int i = 0; i < BATCH; i++) {
            sim.step(Long.MAX_VALUE);
        }
        return sim.now();
    }
}
