package io.svclab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static final long SEC = 1_000_000_000L;

    private final Simulation sim = new Simulation(5);
    private final List<String> log = new ArrayList<>();

    /** An action with a fixed description that logs "name@now". */
    private final class Logged implements Action {
        private final String name;

        Logged(String name) {
            this.name = name;
        }

        @Override
        public void run() {
            log.add(name + "@" + sim.now());
        }

        @Override
        public String describe() {
            return name;
        }
    }

    @Test
    void schedulingInThePastThrows() {
        sim.runUntil(10);

        assertThatThrownBy(() -> sim.schedule(9, Priority.CONTROL, new Logged("e")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schedulingWithANegativeDelayThrows() {
        sim.runUntil(10);

        assertThatThrownBy(() -> sim.scheduleIn(-1, Priority.CONTROL, new Logged("e")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schedulingAtNowIsAllowedAndRunsInTheSameInstant() {
        sim.runUntil(10);
        sim.schedule(10, Priority.CONTROL, new Logged("e"));

        sim.runUntil(10);

        assertThat(log).containsExactly("e@10");
    }

    @Test
    void schedulingWithAPriorityOutOfRangeThrows() {
        assertThatThrownBy(() -> sim.schedule(0, -1, new Logged("e")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.timer(Priority.MAX + 1, new Logged("t")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runUntilExecutesEventsAtExactlyTheEndTimeButNotAfter() {
        sim.schedule(10, Priority.CONTROL, new Logged("a"));
        sim.schedule(20, Priority.OBSERVE, new Logged("b"));
        sim.schedule(21, Priority.CONTROL, new Logged("c"));

        long ran = sim.runUntil(20);

        assertThat(ran).isEqualTo(2);
        assertThat(log).containsExactly("a@10", "b@20");
        assertThat(sim.pending()).isEqualTo(1);
    }

    @Test
    void runUntilSetsTheClockToTheEndTime() {
        sim.schedule(10, Priority.CONTROL, new Logged("a"));

        sim.runUntil(50);

        assertThat(sim.now()).isEqualTo(50);
    }

    @Test
    void runUntilWithNothingPendingAdvancesTheClock() {
        long ran = sim.runUntil(3 * SEC);

        assertThat(ran).isZero();
        assertThat(sim.now()).isEqualTo(3 * SEC);
    }

    @Test
    void runUntilAnEarlierTimeDoesNotMoveTheClockBack() {
        sim.runUntil(100);

        sim.runUntil(50);

        assertThat(sim.now()).isEqualTo(100);
    }

    @Test
    void eventsScheduledAtNowFromAnActionRunInTheSameInstant() {
        sim.schedule(7, Priority.PACKET, () -> sim.scheduleIn(0, Priority.PACKET, new Logged("child")));

        sim.runToCompletion();

        assertThat(log).containsExactly("child@7");
    }

    @Test
    void stopEndsTheRunAfterTheCurrentEvent() {
        sim.schedule(1, Priority.CONTROL, new Logged("a"));
        sim.schedule(2, Priority.CONTROL, () -> {
            log.add("stop@" + sim.now());
            sim.stop();
        });
        sim.schedule(2, Priority.PACKET, new Logged("b"));
        sim.schedule(3, Priority.CONTROL, new Logged("c"));

        long ran = sim.runUntil(100);

        assertThat(ran).isEqualTo(2);
        assertThat(log).containsExactly("a@1", "stop@2");
        assertThat(sim.now()).isEqualTo(2);
    }

    @Test
    void runUntilAfterStopContinuesWhereItStopped() {
        sim.schedule(2, Priority.CONTROL, sim::stop);
        sim.schedule(2, Priority.PACKET, new Logged("b"));
        sim.schedule(3, Priority.CONTROL, new Logged("c"));
        sim.runUntil(100);

        long ran = sim.runUntil(100);

        assertThat(ran).isEqualTo(2);
        assertThat(log).containsExactly("b@2", "c@3");
        assertThat(sim.now()).isEqualTo(100);
    }

    @Test
    void eventsExecutedDoesNotCountCancelledTimers() {
        Timer cancelledInQueue = sim.timer(Priority.TIMER, new Logged("x"));
        Timer rearmed = sim.timer(Priority.TIMER, new Logged("r"));
        cancelledInQueue.schedule(120 * SEC + 1);
        rearmed.schedule(120 * SEC + 1);
        sim.schedule(120 * SEC, Priority.CONTROL, () -> {
            cancelledInQueue.cancel();
            rearmed.schedule(130 * SEC);
        });

        long ran = sim.runToCompletion();

        assertThat(ran).isEqualTo(2);
        assertThat(sim.eventsExecuted()).isEqualTo(2);
        assertThat(log).containsExactly("r@130000000000");
    }

    @Test
    void eventsExecutedAccumulatesOverRuns() {
        for (int i = 1; i <= 5; i++) {
            sim.schedule(i, Priority.CONTROL, new Logged("e" + i));
        }

        sim.runUntil(2);
        sim.runUntil(10);

        assertThat(sim.eventsExecuted()).isEqualTo(5);
    }

    @Test
    void stepExecutesOneDueEvent() {
        sim.schedule(5, Priority.CONTROL, new Logged("a"));
        sim.schedule(6, Priority.CONTROL, new Logged("b"));

        boolean first = sim.step(5);
        boolean second = sim.step(5);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(log).containsExactly("a@5");
    }

    @Test
    void listenerSeesTimePrioritySeqInExecutionOrder() {
        List<String> seen = new ArrayList<>();
        sim.setListener((time, priority, seq, action) ->
                seen.add(time + " " + priority + " " + seq + " " + action.describe()));
        sim.schedule(20, Priority.CONTROL, new Logged("late"));
        sim.schedule(10, Priority.PACKET, new Logged("packet"));
        sim.schedule(10, Priority.CONTROL, new Logged("control"));
        Timer t = sim.timer(Priority.EXPIRY, new Logged("expiry"));
        t.schedule(10);
        sim.schedule(10, Priority.CONTROL, new Logged("control2"));

        sim.runToCompletion();

        assertThat(seen).containsExactly(
                "10 0 3 control", "10 0 5 control2", "10 10 4 expiry", "10 30 2 packet", "20 0 1 late");
    }

    @Test
    void listenerIsCalledBeforeTheEventRuns() {
        sim.setListener((time, priority, seq, action) -> log.add("listener@" + time));
        sim.schedule(4, Priority.CONTROL, new Logged("e"));

        sim.runToCompletion();

        assertThat(log).containsExactly("listener@4", "e@4");
    }

    @Test
    void nullListenerRemovesTheListener() {
        List<Long> seen = new ArrayList<>();
        sim.setListener((time, priority, seq, action) -> seen.add(time));
        sim.schedule(1, Priority.CONTROL, new Logged("a"));
        sim.schedule(2, Priority.CONTROL, new Logged("b"));
        sim.runUntil(1);

        sim.setListener(null);
        sim.runToCompletion();

        assertThat(seen).containsExactly(1L);
        assertThat(log).containsExactly("a@1", "b@2");
    }

    @Test
    void listenerDoesNotSeeStaleTimerEntries() {
        List<String> seen = new ArrayList<>();
        sim.setListener((time, priority, seq, action) -> seen.add(time + " " + action.describe()));
        Timer t = sim.timer(Priority.TIMER, new Logged("t"));
        t.schedule(120 * SEC + 1);
        sim.schedule(120 * SEC, Priority.CONTROL, new Action() {
            @Override
            public void run() {
                t.cancel();
            }

            @Override
            public String describe() {
                return "c";
            }
        });

        sim.runToCompletion();

        assertThat(seen).containsExactly("120000000000 c");
    }

    @Test
    void seedAndStreamsComeFromTheConstructorSeed() {
        RngStreams reference = new RngStreams(5);

        assertThat(sim.seed()).isEqualTo(5);
        assertThat(sim.rng("x").nextLong()).isEqualTo(reference.stream("x").nextLong());
    }
}
