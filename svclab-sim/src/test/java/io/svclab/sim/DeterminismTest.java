package io.svclab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A small random process built only on the public API: clients with Poisson arrivals send
 * requests; each request arms a timeout and is answered after a random service time, which
 * cancels the timeout when it comes first. The event trace depends on the seed only.
 */
class DeterminismTest {

    private static final long MS = 1_000_000L;
    private static final int CLIENTS = 4;
    private static final long END = 60_000 * MS;

    /** One client: arrivals, requests and their timeouts. */
    private static final class Client implements Action {
        private final Simulation sim;
        private final String name;
        private final SplittableRandom arrivals;
        private final SplittableRandom service;
        private final SplittableRandom timeouts;
        private final double meanGapMs;
        private int sent;
        int timedOut;
        int answered;

        Client(Simulation sim, int index) {
            this.sim = sim;
            this.name = "client-" + index;
            this.arrivals = sim.rng("client/" + name + "/arrivals");
            this.service = sim.rng("client/" + name + "/service");
            this.timeouts = sim.rng("client/" + name + "/timeouts");
            this.meanGapMs = 50.0 * (index + 1);
        }

        void start() {
            sim.scheduleIn(gap(), Priority.CONTROL, this);
        }

        private long gap() {
            return (long) (-StrictMath.log(1.0 - arrivals.nextDouble()) * meanGapMs * MS);
        }

        /** An arrival: send a request and schedule the next arrival. */
        @Override
        public void run() {
            int id = sent++;
            Timer timeout = sim.timer(Priority.TIMER, new Action() {
                @Override
                public void run() {
                    timedOut++;
                }

                @Override
                public String describe() {
                    return name + " timeout " + id;
                }
            });
            timeout.scheduleIn((50 + timeouts.nextInt(200)) * MS);
            sim.scheduleIn((long) (service.nextDouble() * service.nextDouble() * 400 * MS), Priority.PACKET,
                    new Action() {
                        @Override
                        public void run() {
                            if (timeout.isPending()) {
                                timeout.cancel();
                                answered++;
                            }
                        }

                        @Override
                        public String describe() {
                            return name + " response " + id;
                        }
                    });
            sim.scheduleIn(gap(), Priority.CONTROL, this);
        }

        @Override
        public String describe() {
            return name + " arrival " + sent;
        }
    }

    private record Run(List<String> trace, int timedOut, int answered) {
    }

    private static Run run(long seed) {
        Simulation sim = new Simulation(seed);
        List<String> trace = new ArrayList<>();
        sim.setListener((time, priority, seq, action) ->
                trace.add(time + " " + priority + " " + seq + " " + action.describe()));
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client c = new Client(sim, i);
            clients.add(c);
            c.start();
        }
        sim.runUntil(END);
        int timedOut = clients.stream().mapToInt(c -> c.timedOut).sum();
        int answered = clients.stream().mapToInt(c -> c.answered).sum();
        return new Run(trace, timedOut, answered);
    }

    @Test
    void sameSeedGivesTheSameTrace() {
        Run first = run(42);
        Run second = run(42);

        assertThat(second.trace()).containsExactlyElementsOf(first.trace());
    }

    @Test
    void differentSeedGivesADifferentTrace() {
        Run s42 = run(42);
        Run s43 = run(43);

        assertThat(s43.trace()).isNotEqualTo(s42.trace());
    }

    @Test
    void theProcessExercisesBothTimeoutsAndCancellations() {
        Run r = run(42);

        assertThat(r.trace()).hasSizeGreaterThan(3000);
        assertThat(r.timedOut()).isGreaterThan(100);
        assertThat(r.answered()).isGreaterThan(100);
    }
}
