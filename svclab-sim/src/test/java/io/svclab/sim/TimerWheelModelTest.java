package io.svclab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded random model check of timers against a reference kernel: one priority queue of every
 * timer arming and every one-shot event, ordered by (time, priority, order of arming or
 * scheduling), with cancellation by forgetting the timer's current arming. The same random
 * program runs on both; the sequences of (time, what fired) must be identical.
 */
class TimerWheelModelTest {

    private static final long SEC = 1_000_000_000L;
    private static final int TIMERS = 3000;
    private static final int OPS = 30_000;
    private static final int[] PRIORITIES = {Priority.CONTROL, Priority.EXPIRY, Priority.TIMER, Priority.PACKET};

    /** What the random program needs of a kernel. */
    private interface Kernel {
        long now();

        void arm(int timer, long deadline);

        void cancel(int timer);

        void schedule(long time, int priority, int event);

        void runUntil(long end);

        int pending();
    }

    /** The random program: drives a kernel and records what fires. */
    private static final class Program {
        final SplittableRandom rnd;
        final List<String> trace = new ArrayList<>();
        Kernel kernel;
        int nextEvent;

        Program(long seed) {
            rnd = new SplittableRandom(seed);
        }

        static int timerPriority(int timer) {
            return PRIORITIES[timer % PRIORITIES.length];
        }

        /** A delay on a random time scale, from 0 ns to ten days, often on a wheel boundary. */
        long delay() {
            switch (rnd.nextInt(8)) {
                case 0:
                    return rnd.nextLong(4);
                case 1:
                    return rnd.nextLong(1_000_000);
                case 2: {
                    long b = 1L << (24 + 8 * rnd.nextInt(4));
                    return b * (1 + rnd.nextLong(3)) - 1 + rnd.nextLong(3);
                }
                case 3:
                    return rnd.nextLong(SEC);
                case 4:
                    return rnd.nextLong(120 * SEC);
                case 5:
                    return 120 * SEC;
                case 6:
                    return rnd.nextLong(86_400 * SEC);
                default:
                    return rnd.nextLong(864_000 * SEC);
            }
        }

        /**
         * A deadline not in the past; often on (or 1 ns beside) a grid point shared by many timers
         * and events: whole seconds, or the wheel's tick and level boundaries.
         */
        long deadline() {
            long now = kernel.now();
            if (rnd.nextInt(3) == 0) {
                long grid = rnd.nextBoolean() ? SEC << rnd.nextInt(8) : 1L << (24 + 8 * rnd.nextInt(4));
                return (now / grid + 1 + rnd.nextInt(3)) * grid + rnd.nextInt(3) - 1;
            }
            return now + delay();
        }

        void randomOp() {
            int r = rnd.nextInt(100);
            if (r < 45) {
                kernel.arm(rnd.nextInt(TIMERS), deadline());
            } else if (r < 65) {
                kernel.cancel(rnd.nextInt(TIMERS));
            } else {
                kernel.schedule(deadline(), PRIORITIES[rnd.nextInt(PRIORITIES.length)], nextEvent++);
            }
        }

        /** Callbacks: record, and sometimes act from inside the run. */
        void fired(String what) {
            trace.add(kernel.now() + " " + what);
            int r = rnd.nextInt(10);
            if (r < 3) {
                randomOp();
            }
            if (r == 0) {
                randomOp();
            }
        }

        List<String> run(Kernel k) {
            kernel = k;
            for (int op = 0; op < OPS; op++) {
                if (rnd.nextInt(5) == 0) {
                    int kind = rnd.nextInt(4);
                    long end = kind == 0 ? kernel.now() : kind == 1 ? deadline() : kernel.now() + delay();
                    kernel.runUntil(end);
                    trace.add("run " + end + " now " + kernel.now() + " pending " + kernel.pending());
                } else {
                    randomOp();
                }
            }
            kernel.runUntil(Long.MAX_VALUE);
            trace.add("end pending " + kernel.pending());
            return trace;
        }
    }

    /** The kernel under test. */
    private static final class Real implements Kernel {
        final Simulation sim = new Simulation(7);
        final Timer[] timers = new Timer[TIMERS];
        final Program program;

        Real(Program program) {
            this.program = program;
            for (int i = 0; i < TIMERS; i++) {
                int id = i;
                if (i % 2 == 0) {
                    timers[i] = sim.timer(Program.timerPriority(i), () -> program.fired("T" + id));
                } else {
                    timers[i] = new Timer(sim, Program.timerPriority(i)) {
                        @Override
                        protected void fire() {
                            program.fired("T" + id);
                        }
                    };
                }
            }
        }

        @Override
        public long now() {
            return sim.now();
        }

        @Override
        public void arm(int timer, long deadline) {
            timers[timer].schedule(deadline);
        }

        @Override
        public void cancel(int timer) {
            timers[timer].cancel();
        }

        @Override
        public void schedule(long time, int priority, int event) {
            sim.schedule(time, priority, () -> program.fired("E" + event));
        }

        @Override
        public void runUntil(long end) {
            sim.runUntil(end);
        }

        @Override
        public int pending() {
            return sim.pending();
        }
    }

    private record Entry(long time, int priority, long seq, int timer, int event) {
    }

    /** The reference: a priority queue of everything, timers cancelled by sequence number. */
    private static final class Reference implements Kernel {
        final PriorityQueue<Entry> queue = new PriorityQueue<>(Comparator.comparingLong(Entry::time)
                .thenComparingInt(Entry::priority)
                .thenComparingLong(Entry::seq));
        final long[] armedSeq = new long[TIMERS];
        final Program program;
        long now;
        long seq;
        int live;

        Reference(Program program) {
            this.program = program;
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public void arm(int timer, long deadline) {
            cancel(timer);
            armedSeq[timer] = ++seq;
            live++;
            queue.add(new Entry(deadline, Program.timerPriority(timer), seq, timer, -1));
        }

        @Override
        public void cancel(int timer) {
            if (armedSeq[timer] != 0) {
                armedSeq[timer] = 0;
                live--;
            }
        }

        @Override
        public void schedule(long time, int priority, int event) {
            live++;
            queue.add(new Entry(time, priority, ++seq, -1, event));
        }

        @Override
        public void runUntil(long end) {
            while (!queue.isEmpty() && queue.peek().time() <= end) {
                Entry e = queue.poll();
                if (e.timer() >= 0) {
                    if (armedSeq[e.timer()] != e.seq()) {
                        continue;
                    }
                    armedSeq[e.timer()] = 0;
                }
                live--;
                now = e.time();
                program.fired(e.timer() >= 0 ? "T" + e.timer() : "E" + e.event());
            }
            now = Math.max(now, end);
        }

        @Override
        public int pending() {
            return live;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 42L, 1234L, 0x5EEDL})
    void timersFireExactlyAsInTheReferenceModel(long seed) {
        Program real = new Program(seed);
        Program reference = new Program(seed);

        List<String> actual = real.run(new Real(real));
        List<String> expected = reference.run(new Reference(reference));

        assertThat(actual.size()).isGreaterThan(30_000);
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                assertThat(actual.subList(0, i + 1)).containsExactlyElementsOf(expected.subList(0, i + 1));
            }
        }
        assertThat(actual).hasSameSizeAs(expected);
    }
}
