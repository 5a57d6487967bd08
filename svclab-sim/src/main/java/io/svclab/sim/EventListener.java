package io.svclab.sim;

/** Observes every event the simulation executes, in execution order (tests, traces). */
@FunctionalInterface
public interface EventListener {

    /**
     * Called just before an event runs.
     *
     * @param time the simulated time, ns
     * @param priority the event's priority class
     * @param seq the event's sequence number within this run
     * @param action what runs
     */
    void onEvent(long time, int priority, long seq, Action action);
}
