package io.svclab.bench;

import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import io.svclab.sim.Timer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Timers through the public {@link Simulation} API, with a million timers armed.
 *
 * <ul>
 *   <li>{@link #rearmFar}: the conntrack refresh, re-arming a random timer to now + 120 s (the
 *       clock stands still, so this is the wheel's remove and insert alone);
 *   <li>{@link #cancelAndArm}: cancel a random timer and arm it again 60 to 180 s ahead;
 *   <li>{@link #conntrack}: packets every 100 µs of simulated time, each refreshing a random
 *       entry's timer to now + 120 s, entries expiring when not refreshed; one operation is one
 *       event (packet or expiry);
 *   <li>{@link #fireHeavy}: every timer re-arms itself 1 ns to 4.3 s ahead when it fires; one
 *       operation is one timer fired.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TimerWheelBench {

    private static final long SEC = 1_000_000_000L;
    private static final long CONNTRACK_TIMEOUT = 120 * SEC;

    /** A million timers armed for deadlines up to 120 s away, and a clock that stands still. */
    @State(Scope.Thread)
    public static class Armed {
        /** Number of timers. */
        @Param({"1000000"})
        public int timers;

        Simulation sim;
        Timer[] all;
        SplittableRandom rnd;
        long expired;

        /** Arms every timer. */
        @Setup
        public void setup() {
            sim = new Simulation(42);
            rnd = sim.rng("bench/timer-wheel/ops");
            all = new Timer[timers];
            Action expire = () -> expired++;
            for (int i = 0; i < timers; i++) {
                all[i] = sim.timer(Priority.EXPIRY, expire);
                all[i].schedule(1 + rnd.nextLong(CONNTRACK_TIMEOUT));
            }
        }
    }

    /** Re-arms a random timer to now + 120 s. */
    @Benchmark
    public void rearmFar(Armed s) {
        s.all[s.rnd.nextInt(s.timers)].schedule(s.sim.now() + CONNTRACK_TIMEOUT);
    }

    /** Cancels a random timer and arms it again 60 to 180 s ahead. */
    @Benchmark
    public void cancelAndArm(Armed s) {
        Timer t = s.all[s.rnd.nextInt(s.timers)];
        t.cancel();
        t.schedule(s.sim.now() + 60 * SEC + s.rnd.nextLong(CONNTRACK_TIMEOUT));
    }

    /** A conntrack table of a million entries fed by a packet every 100 µs of simulated time. */
    @State(Scope.Thread)
    public static class Conntrack {
        /** Number of entries (timers). */
        @Param({"1000000"})
        public int entries;

        Simulation sim;

        /** Arms every entry's timer and starts the packet source. */
        @Setup
        public void setup() {
            sim = new Simulation(42);
            SplittableRandom rnd = sim.rng("bench/conntrack/packets");
            Timer[] table = new Timer[entries];
            Action expire = () -> { };
            for (int i = 0; i < entries; i++) {
                table[i] = sim.timer(Priority.EXPIRY, expire);
                table[i].schedule(1 + rnd.nextLong(CONNTRACK_TIMEOUT));
            }
            Action[] packet = new Action[1];
            packet[0] = () -> {
                table[rnd.nextInt(entries)].scheduleIn(CONNTRACK_TIMEOUT);
                sim.scheduleIn(100_000L, Priority.PACKET, packet[0]);
            };
            sim.schedule(0, Priority.PACKET, packet[0]);
        }
    }

    /** Executes the next event: a packet refreshing an entry, or an entry expiring. */
    @Benchmark
    public boolean conntrack(Conntrack s) {
        return s.sim.step(Long.MAX_VALUE);
    }

    /** A million periodic timers with random periods. */
    @State(Scope.Thread)
    public static class Firing {
        /** Number of timers. */
        @Param({"1000000"})
        public int timers;

        Simulation sim;

        /** Arms every timer; each re-arms itself when it fires. */
        @Setup
        public void setup() {
            sim = new Simulation(42);
            SplittableRandom rnd = sim.rng("bench/timer-wheel/periods");
            for (int i = 0; i < timers; i++) {
                Timer[] self = new Timer[1];
                self[0] = sim.timer(Priority.TIMER, () -> self[0].scheduleIn(1 + rnd.nextLong(1L << 32)));
                self[0].schedule(rnd.nextLong(1L << 32));
            }
        }
    }

    /** Fires the next timer (which re-arms itself). */
    @Benchmark
    public void fireHeavy(Firing s, Blackhole bh) {
        bh.consume(s.sim.step(Long.MAX_VALUE));
    }
}
