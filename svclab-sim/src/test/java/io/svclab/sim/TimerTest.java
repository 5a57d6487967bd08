package io.svclab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Timers and the timer wheel, through the public {@link Simulation} API. */
class TimerTest {

    private static final long SEC = 1_000_000_000L;

    private final Simulation sim = new Simulation(1);
    private final List<String> log = new ArrayList<>();

    /** A timer that logs "name@now" when it fires. */
    private Timer logging(String name, int priority) {
        return sim.timer(priority, () -> log.add(name + "@" + sim.now()));
    }

    /** A one-shot event that logs "name@now". */
    private void event(long time, int priority, String name) {
        sim.schedule(time, priority, () -> log.add(name + "@" + sim.now()));
    }

    @ParameterizedTest
    @ValueSource(longs = {
        0L, 1L, 2L,
        (1L << 24) - 1, 1L << 24, (1L << 24) + 1,
        (1L << 30) - 1, 1L << 30, (1L << 30) + 1,
        (1L << 36) - 1, 1L << 36, (1L << 36) + 1,
        (1L << 42) - 1, 1L << 42, (1L << 48) + 1, (1L << 54) - 1, 1L << 60,
        120 * SEC, 432_000 * SEC, 1_000_000_000_000_000L, Long.MAX_VALUE - 1
    })
    void timerFiresExactlyAtItsDeadline(long deadline) {
        List<Long> fired = new ArrayList<>();
        Timer t = sim.timer(Priority.TIMER, () -> fired.add(sim.now()));
        t.schedule(deadline);

        sim.runToCompletion();

        assertThat(fired).containsExactly(deadline);
    }

    @ParameterizedTest
    @ValueSource(longs = {
        0L, 1L, (1L << 24) - 1, 1L << 24, 1L << 30, (1L << 30) + 1, 1L << 36,
        120 * SEC, 432_000 * SEC, 1_000_000_000_000_000L
    })
    void timerArmedAtAnOddInstantFiresExactlyAfterItsDelay(long delay) {
        long start = 3 * SEC + 12_345;
        sim.runUntil(start);
        List<Long> fired = new ArrayList<>();
        Timer t = sim.timer(Priority.TIMER, () -> fired.add(sim.now()));
        t.scheduleIn(delay);

        sim.runToCompletion();

        assertThat(fired).containsExactly(start + delay);
    }

    @Test
    void timerFiresExactlyWhenRunInSmallSteps() {
        List<Long> fired = new ArrayList<>();
        Timer t = sim.timer(Priority.TIMER, () -> fired.add(sim.now()));
        long deadline = (1L << 36) + 777;
        t.schedule(deadline);

        for (long end = 0; end < deadline + SEC; end += 1_000_003L * 97) {
            sim.runUntil(end);
        }

        assertThat(fired).containsExactly(deadline);
    }

    @Test
    void runUntilOneBeforeTheDeadlineDoesNotFireIt() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(1L << 30);

        sim.runUntil((1L << 30) - 1);

        assertThat(log).isEmpty();
        assertThat(t.isPending()).isTrue();
        sim.runUntil(1L << 30);
        assertThat(log).containsExactly("t@1073741824");
    }

    @Test
    void cancelWhileInTheWheelPreventsFiring() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC);
        sim.runUntil(60 * SEC);

        t.cancel();
        sim.runToCompletion();

        assertThat(log).isEmpty();
        assertThat(t.isPending()).isFalse();
    }

    @Test
    void cancelAfterTheTimerMovedToTheQueuePreventsFiring() {
        long deadline = 120 * SEC + 1;
        Timer t = logging("t", Priority.TIMER);
        t.schedule(deadline);
        // runs at 120 s, after the wheel has moved the timer's bucket (which also holds 120 s + 1 ns)
        // into the event queue
        sim.schedule(120 * SEC, Priority.CONTROL, t::cancel);

        sim.runToCompletion();

        assertThat(log).isEmpty();
    }

    @Test
    void cancelAtTheSameInstantByAnEarlierPriorityPreventsFiring() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(432_000 * SEC);
        sim.schedule(432_000 * SEC, Priority.CONTROL, t::cancel);

        sim.runToCompletion();

        assertThat(log).isEmpty();
        assertThat(sim.eventsExecuted()).isEqualTo(1);
    }

    @Test
    void cancelOfATimerArmedDirectlyIntoTheQueuePreventsFiring() {
        sim.runUntil(5);
        Timer t = logging("t", Priority.TIMER);
        t.schedule(6);

        t.cancel();
        sim.runToCompletion();

        assertThat(log).isEmpty();
    }

    @Test
    void cancelOfAnIdleTimerIsANoOp() {
        Timer t = logging("t", Priority.TIMER);

        t.cancel();
        t.cancel();

        assertThat(t.isPending()).isFalse();
        assertThat(sim.pending()).isZero();
    }

    @Test
    void rearmToAnEarlierDeadlineFiresOnceAtTheNewDeadline() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC);

        t.schedule(10 * SEC);
        sim.runToCompletion();

        assertThat(log).containsExactly("t@10000000000");
    }

    @Test
    void rearmToALaterDeadlineFiresOnceAtTheNewDeadline() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(10 * SEC);

        t.schedule(120 * SEC);
        sim.runToCompletion();

        assertThat(log).containsExactly("t@120000000000");
    }

    @Test
    void rearmAfterTheTimerMovedToTheQueueFiresOnceAtTheNewDeadline() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC + 1);
        sim.schedule(120 * SEC, Priority.CONTROL, () -> t.schedule(300 * SEC));

        sim.runToCompletion();

        assertThat(log).containsExactly("t@300000000000");
    }

    @Test
    void rearmInsideTheQueueToAnEarlierDeadlineFiresOnceAtTheNewDeadline() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC + 5);
        sim.schedule(120 * SEC, Priority.CONTROL, () -> t.schedule(120 * SEC + 2));

        sim.runToCompletion();

        assertThat(log).containsExactly("t@120000000002");
    }

    @Test
    void rearmToTheSameDeadlineFiresOnce() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(7 * SEC);
        t.schedule(7 * SEC);
        t.schedule(7 * SEC);

        sim.runToCompletion();

        assertThat(log).containsExactly("t@7000000000");
    }

    @Test
    void timerRearmedFromItsOwnActionIsPeriodic() {
        List<Long> fired = new ArrayList<>();
        Timer[] self = new Timer[1];
        self[0] = sim.timer(Priority.TIMER, () -> {
            fired.add(sim.now());
            self[0].scheduleIn(SEC);
        });
        self[0].scheduleIn(SEC);

        sim.runUntil(5 * SEC);

        assertThat(fired).containsExactly(SEC, 2 * SEC, 3 * SEC, 4 * SEC, 5 * SEC);
        assertThat(self[0].isPending()).isTrue();
        assertThat(self[0].deadline()).isEqualTo(6 * SEC);
    }

    @Test
    void timerRearmedFromItsOwnActionAtNowFiresAgainInTheSameInstant() {
        List<Long> fired = new ArrayList<>();
        Timer[] self = new Timer[1];
        self[0] = sim.timer(Priority.TIMER, () -> {
            fired.add(sim.now());
            if (fired.size() < 3) {
                self[0].scheduleIn(0);
            }
        });
        self[0].schedule(SEC);

        sim.runToCompletion();

        assertThat(fired).containsExactly(SEC, SEC, SEC);
    }

    @Test
    void timerArmedAtNowRunsAfterQueuedEventsOfLowerPriorityNumber() {
        long t0 = 2 * SEC;
        Timer timer = logging("timer", Priority.TIMER);
        event(t0, Priority.CONTROL, "control");
        event(t0, Priority.EXPIRY, "expiry");
        event(t0, Priority.PACKET, "packet");
        event(t0, Priority.OBSERVE, "observe");
        sim.runUntil(t0 - 1);
        // armed from inside the run, by the first event of the instant
        sim.schedule(t0, Priority.CONTROL, () -> timer.schedule(sim.now()));

        sim.runToCompletion();

        assertThat(log).containsExactly(
                "control@2000000000", "expiry@2000000000", "timer@2000000000", "packet@2000000000",
                "observe@2000000000");
    }

    @Test
    void timerArmedAtNowRunsAfterQueuedEventsOfTheSamePriority() {
        event(0, Priority.TIMER, "first");
        Timer timer = logging("timer", Priority.TIMER);
        timer.schedule(0);
        event(0, Priority.TIMER, "last");

        sim.runToCompletion();

        assertThat(log).containsExactly("first@0", "timer@0", "last@0");
    }

    @Test
    void equalDeadlineTimersFireByPriorityThenArmingOrder() {
        long d = 120 * SEC;
        Timer a = logging("a", Priority.TIMER);
        Timer b = logging("b", Priority.EXPIRY);
        Timer c = logging("c", Priority.TIMER);
        Timer e = logging("e", Priority.EXPIRY);
        a.schedule(d);
        b.schedule(d);
        c.schedule(d);
        e.schedule(d);

        sim.runToCompletion();

        assertThat(log).containsExactly("b@120000000000", "e@120000000000", "a@120000000000", "c@120000000000");
    }

    @Test
    void equalDeadlineTimersArmedAtDifferentTimesFireInArmingOrder() {
        long d = 432_000 * SEC;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "t" + i;
            long armAt = i * 60_000 * SEC;
            Timer t = logging(name, Priority.TIMER);
            sim.schedule(armAt, Priority.CONTROL, () -> t.schedule(d));
            expected.add(name + "@" + d);
        }

        sim.runToCompletion();

        assertThat(log).containsExactlyElementsOf(expected);
    }

    @Test
    void timerAndEventAtTheSameInstantAndPriorityRunInSchedulingOrder() {
        long d = 120 * SEC;
        event(d, Priority.TIMER, "e1");
        logging("t1", Priority.TIMER).schedule(d);
        event(d, Priority.TIMER, "e2");
        logging("t2", Priority.TIMER).schedule(d);

        sim.runToCompletion();

        assertThat(log).containsExactly("e1@120000000000", "t1@120000000000", "e2@120000000000", "t2@120000000000");
    }

    @Test
    void pendingCountsArmedTimersAndQueuedEvents() {
        Timer far = logging("far", Priority.TIMER);
        Timer near = logging("near", Priority.TIMER);
        assertThat(sim.pending()).isZero();

        far.schedule(120 * SEC);
        near.schedule(1);
        event(5, Priority.CONTROL, "e");

        assertThat(sim.pending()).isEqualTo(3);
        assertThat(far.isPending()).isTrue();
        assertThat(near.isPending()).isTrue();
    }

    @Test
    void pendingDropsWhenATimerIsCancelledInTheWheel() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC);

        t.cancel();

        assertThat(sim.pending()).isZero();
    }

    @Test
    void pendingDropsWhenATimerIsCancelledInTheQueue() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC + 1);
        List<Integer> seen = new ArrayList<>();
        // at 120 s the timer is already in the event queue
        sim.schedule(120 * SEC, Priority.CONTROL, () -> {
            seen.add(sim.pending());
            t.cancel();
            seen.add(sim.pending());
        });

        sim.runToCompletion();

        assertThat(seen).containsExactly(1, 0);
    }

    @Test
    void pendingCountsATimerRearmedInTheQueueOnce() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC + 1);
        List<Integer> seen = new ArrayList<>();
        sim.schedule(120 * SEC, Priority.CONTROL, () -> {
            t.schedule(120 * SEC + 2);
            t.schedule(120 * SEC + 3);
            seen.add(sim.pending());
        });

        sim.runToCompletion();

        assertThat(seen).containsExactly(1);
        assertThat(sim.pending()).isZero();
    }

    @Test
    void pendingCountsARearmedTimerOnce() {
        Timer t = logging("t", Priority.TIMER);
        sim.runUntil(1);
        t.schedule(2);
        t.schedule(3);
        t.schedule(120 * SEC);
        t.schedule(4);

        assertThat(sim.pending()).isEqualTo(1);
    }

    @Test
    void pendingIsZeroAfterEverythingRan() {
        Timer t = logging("t", Priority.TIMER);
        t.schedule(120 * SEC);
        t.schedule(SEC);
        event(2 * SEC, Priority.CONTROL, "e");

        sim.runToCompletion();

        assertThat(sim.pending()).isZero();
        assertThat(t.isPending()).isFalse();
    }

    @Test
    void armingInThePastThrows() {
        sim.runUntil(10);
        Timer t = logging("t", Priority.TIMER);

        assertThatThrownBy(() -> t.schedule(9)).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.isPending()).isFalse();
    }

    @Test
    void subclassOverridingFireRuns() {
        List<Long> fired = new ArrayList<>();
        Timer t = new Timer(sim, Priority.EXPIRY) {
            @Override
            protected void fire() {
                fired.add(sim.now());
            }
        };
        t.schedule(120 * SEC);

        sim.runToCompletion();

        assertThat(fired).containsExactly(120 * SEC);
    }

    @Test
    void timersArmedInTheLastTickOfTheTimeLineStillFire() {
        Simulation sim = new Simulation(1);
        long last = Long.MAX_VALUE - 10;
        java.util.List<Long> fired = new java.util.ArrayList<>();
        Timer first = sim.timer(Priority.TIMER, () -> fired.add(sim.now()));
        Timer second = sim.timer(Priority.TIMER, () -> fired.add(sim.now()));
        first.schedule(last - 5);
        sim.schedule(last - 5, Priority.OBSERVE, () -> second.schedule(last));
        sim.runUntil(Long.MAX_VALUE);
        assertThat(fired).containsExactly(last - 5, last);
    }
}
