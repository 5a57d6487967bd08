package io.svclab.run;

/**
 * What one scripted step did.
 *
 * @param index position in the scenario's {@code steps}
 * @param type the step's YAML key
 * @param atNs simulated time it ran
 * @param detail a short description
 */
public record StepResult(int index, String type, long atNs, String detail) {
}
