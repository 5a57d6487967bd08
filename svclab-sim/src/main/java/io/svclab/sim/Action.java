package io.svclab.sim;

/**
 * Something that happens at an instant of simulated time. Implementations on the hot path are
 * long-lived objects that are scheduled again and again (a packet in flight, a socket's timer), so
 * scheduling allocates nothing.
 */
@FunctionalInterface
public interface Action {

    /** Runs the action; {@link Simulation#now()} is the instant it was scheduled for. */
    void run();

    /** A short, stable description for event traces (no addresses or hash codes). */
    default String describe() {
        Class<?> c = getClass();
        // lambdas and anonymous classes have JVM-chosen names: not stable across runs
        return c.isHidden() || c.isAnonymousClass() || c.isSynthetic() ? "action" : c.getSimpleName();
    }
}
