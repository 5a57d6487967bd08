package io.svclab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    /** An action that only carries a name, for identifying popped entries. */
    private record Named(String name) implements Action {
        @Override
        public void run() {
        }
    }

    private static final Action NOOP = new Named("noop");

    /** Pops everything, returning "time/priority/seq" for each entry. */
    private static List<String> drain(EventQueue q) {
        List<String> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.headTime() + "/" + q.headPriority() + "/" + q.headSeq());
            q.pop();
        }
        return out;
    }

    @Test
    void popsInTimeOrder() {
        EventQueue q = new EventQueue();
        q.push(30, 0, NOOP);
        q.push(10, 0, NOOP);
        q.push(20, 0, NOOP);

        assertThat(drain(q)).containsExactly("10/0/2", "20/0/3", "30/0/1");
    }

    @Test
    void equalTimesPopByPriority() {
        EventQueue q = new EventQueue();
        q.push(5, Priority.OBSERVE, NOOP);
        q.push(5, Priority.CONTROL, NOOP);
        q.push(5, Priority.PACKET, NOOP);
        q.push(5, Priority.EXPIRY, NOOP);

        assertThat(drain(q)).containsExactly("5/0/2", "5/10/4", "5/30/3", "5/100/1");
    }

    @Test
    void earlierTimeWinsOverLowerPriority() {
        EventQueue q = new EventQueue();
        q.push(2, 0, NOOP);
        q.push(1, Priority.MAX, NOOP);

        assertThat(drain(q)).containsExactly("1/32767/2", "2/0/1");
    }

    @Test
    void equalTimeAndPriorityPopInInsertionOrder() {
        EventQueue q = new EventQueue();
        List<Action> pushed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Action a = new Named("a" + i);
            pushed.add(a);
            q.push(7, Priority.TIMER, a);
        }
        List<Action> popped = new ArrayList<>();
        while (!q.isEmpty()) {
            popped.add(q.headAction());
            q.pop();
        }

        assertThat(popped).containsExactlyElementsOf(pushed);
    }

    @Test
    void sequenceNumbersStartAtOneAndIncrease() {
        EventQueue q = new EventQueue();

        assertThat(q.push(0, 0, NOOP)).isEqualTo(1L);
        assertThat(q.push(0, 0, NOOP)).isEqualTo(2L);
        assertThat(q.push(0, 0, NOOP)).isEqualTo(3L);
    }

    @Test
    void emptyQueuePeeksMaxValue() {
        EventQueue q = new EventQueue();

        assertThat(q.isEmpty()).isTrue();
        assertThat(q.size()).isZero();
        assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsPriorityOutOfRange() {
        EventQueue q = new EventQueue();

        assertThatThrownBy(() -> q.push(0, -1, NOOP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.push(0, Priority.MAX + 1, NOOP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void growsBeyondInitialCapacity() {
        EventQueue q = new EventQueue();
        int n = 5000;
        for (int i = 0; i < n; i++) {
            // descending times, so every push sifts to the root
            q.push(n - i, 0, NOOP);
        }

        assertThat(q.size()).isEqualTo(5000);
        for (int i = 1; i <= n; i++) {
            assertThat(q.headTime()).isEqualTo(i);
            assertThat(q.headSeq()).isEqualTo(n - i + 1);
            q.pop();
        }
        assertThat(q.isEmpty()).isTrue();
    }

    private record Ref(long time, int priority, long seq, Action action) {
    }

    private static final Comparator<Ref> REF_ORDER = Comparator.comparingLong(Ref::time)
            .thenComparingInt(Ref::priority)
            .thenComparingLong(Ref::seq);

    /** Checks the head cheaply, and with a readable message when it differs. */
    private static void assertHeadIs(EventQueue q, Ref expected) {
        Ref actual = new Ref(q.headTime(), q.headPriority(), q.headSeq(), q.headAction());
        if (actual.time() != expected.time() || actual.priority() != expected.priority()
                || actual.seq() != expected.seq() || actual.action() != expected.action()) {
            assertThat(actual).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 0xC0FFEEL})
    void randomMixedPushPopMatchesReferencePriorityQueue(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EventQueue q = new EventQueue();
        PriorityQueue<Ref> ref = new PriorityQueue<>(REF_ORDER);
        Action[] actions = new Action[16];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = new Named("n" + i);
        }
        long now = 0;
        int pops = 0;
        for (int op = 0; op < 100_000; op++) {
            // biased towards pushes so the heap grows well past 1024 entries, then drains
            boolean push = ref.isEmpty() || rnd.nextInt(100) < (op < 60_000 ? 60 : 40);
            if (push) {
                // few distinct times and priorities, so ties are frequent
                long time = now + (rnd.nextBoolean() ? rnd.nextLong(8) : rnd.nextLong(1_000_000));
                int priority = rnd.nextInt(4) * 10;
                Action a = actions[rnd.nextInt(actions.length)];
                long seq = q.push(time, priority, a);
                ref.add(new Ref(time, priority, seq, a));
            } else {
                Ref expected = ref.poll();
                assertHeadIs(q, expected);
                q.pop();
                now = expected.time();
                pops++;
            }
            if (q.size() != ref.size()) {
                assertThat(q.size()).as("size after op %d", op).isEqualTo(ref.size());
            }
        }
        while (!ref.isEmpty()) {
            assertHeadIs(q, ref.poll());
            q.pop();
            pops++;
        }
        assertThat(q.isEmpty()).isTrue();
        assertThat(pops).isGreaterThan(40_000);
    }
}
