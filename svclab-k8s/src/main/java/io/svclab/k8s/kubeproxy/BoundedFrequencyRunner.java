package io.svclab.k8s.kubeproxy;

import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import io.svclab.sim.Timer;

/**
 * kube-proxy's {@code async.BoundedFrequencyRunner} on the simulated clock: runs a function at
 * most {@code burst} times in a row and then at most once per {@code minInterval} (a token bucket
 * of {@code burst} tokens refilled at one per {@code minInterval}, full at creation, as
 * {@code flowcontrol.NewTokenBucketRateLimiter} over {@code x/time/rate}), and at least once per
 * {@code maxInterval} (a timer re-armed at every run).
 *
 * <p>{@link #run()} is {@code Run()} followed at the same instant by the loop's {@code tryRun()}:
 * when a token is available the function runs at once; otherwise the timer is set to the earlier
 * of the next possible run ({@code minInterval - (now - lastRun)}) and the pending periodic run.
 * The function takes no simulated time, so requests never coalesce while it runs. With
 * {@code minInterval == 0} every request runs at once ({@code nullLimiter}). The retry channel
 * ({@code RetryAfter}, used after failed syncs) is not modelled: syncs do not fail here.
 */
public final class BoundedFrequencyRunner {

    private final Simulation sim;
    private final Action fn;
    private final long minIntervalNs;
    private final long maxIntervalNs;
    private final long capacityNs;
    private final Timer timer;
    /** Tokens times {@code minInterval}, so that refilling is one unit per nanosecond. */
    private long tokensNs;
    private long tokensAt;
    private long lastRun = Long.MIN_VALUE;
    private long runs;

    /**
     * A runner on the simulation's clock; call {@link #loop()} to arm the periodic run.
     *
     * @param sim the simulation whose clock and timers the runner uses
     * @param fn the function to run ({@code syncProxyRules})
     * @param minIntervalNs minimum interval between runs after the burst, 0 = no limit
     * @param maxIntervalNs maximum interval between runs, greater than 0
     * @param burst runs allowed back to back, at least 1 (kube-proxy: 2)
     */
    public BoundedFrequencyRunner(Simulation sim, Action fn, long minIntervalNs, long maxIntervalNs, int burst) {
        if (minIntervalNs < 0 || maxIntervalNs <= 0 || burst < 1) {
            throw new IllegalArgumentException("bad intervals " + minIntervalNs + "/" + maxIntervalNs + " or burst " + burst);
        }
        this.sim = sim;
        this.fn = fn;
        this.minIntervalNs = minIntervalNs;
        this.maxIntervalNs = maxIntervalNs;
        this.capacityNs = minIntervalNs * burst;
        this.tokensNs = capacityNs;
        this.tokensAt = sim.now();
        this.timer = sim.timer(Priority.CONTROL, this::tryRun);
    }

    /** {@code Loop}: arms the periodic timer ({@code maxInterval} from now). */
    public void loop() {
        timer.scheduleIn(maxIntervalNs);
    }

    /** {@code Run}: requests a run now, or as soon as the limiter allows. */
    public void run() {
        tryRun();
    }

    /** Number of runs so far. */
    public long runs() {
        return runs;
    }

    /** When the next run is due (periodic or deferred), or -1 when idle. */
    public long nextRunAt() {
        return timer.isPending() ? timer.deadline() : -1;
    }

    private boolean tryAccept() {
        if (minIntervalNs == 0) {
            return true;
        }
        long now = sim.now();
        tokensNs = Math.min(capacityNs, tokensNs + (now - tokensAt));
        tokensAt = now;
        if (tokensNs >= minIntervalNs) {
            tokensNs -= minIntervalNs;
            return true;
        }
        return false;
    }

    private void tryRun() {
        long now = sim.now();
        if (tryAccept()) {
            fn.run();
            runs++;
            lastRun = now;
            timer.schedule(now + maxIntervalNs);
            return;
        }
        long nextPossible = minIntervalNs - (now - lastRun);
        long nextScheduled = timer.isPending() ? timer.deadline() - now : maxIntervalNs;
        timer.schedule(now + Math.max(0, Math.min(nextPossible, nextScheduled)));
    }
}
