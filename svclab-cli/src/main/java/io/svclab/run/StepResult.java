package io.svclab.run;

/**
 * What one scripted step did.
 *
 * @param index position in the scenario's {@code steps}
 * @param type the step's YAML key
 * @param atNs simulated time it ran
 * @param detail a short description (the result of steps that are not connects)
 * @param connect what a {@code connect} step's connection did, else null
 */
public record StepResult(int index, String type, long atNs, String detail, Connect connect) {

    /** A step that is not a connect. */
    public StepResult(int index, String type, long atNs, String detail) {
        this(index, type, atNs, detail, null);
    }

    /**
     * The connection of a connect step, as the contract's {@code steps} entries show it.
     *
     * @param sport the client's source port (the requested one while still running)
     * @param result {@code OK} or the errno the application saw, or {@code APP_TIMEOUT}; {@code RUNNING}
     *     when the connection was still in progress at the end of the run
     * @param backend {@code ip:port} that accepted the connection, or null
     * @param connectMs time from the first SYN to established or to the failure; null while running
     * @param synRetransmissions SYNs sent after the first; null while running
     */
    public record Connect(int sport, String result, String backend, Double connectMs, Integer synRetransmissions) {
    }
}
