package io.svclab.scenario;

/** A timed cluster operation: an item of {@code events}, with {@code at} and one action key. */
public sealed interface Event permits Event.Rollout, Event.Scale {

    /** Simulated time of the event. */
    long atNs();

    /** Where the action's value is written. */
    SourcePos pos();

    /**
     * {@code rollout: NAME}: like {@code kubectl rollout restart deployment/NAME}.
     *
     * @param atNs simulated time
     * @param deployment the deployment restarted
     * @param pos place of the action's value
     */
    record Rollout(long atNs, String deployment, SourcePos pos) implements Event {
    }

    /**
     * {@code scale: {deployment: NAME, replicas: N}}.
     *
     * @param atNs simulated time
     * @param deployment the deployment scaled
     * @param replicas the new replica count
     * @param pos place of the action's value
     */
    record Scale(long atNs, String deployment, int replicas, SourcePos pos) implements Event {
    }
}
