package io.svclab.run;

import java.util.List;

/**
 * The outcome of one run: what the result JSON and the text summary print. Built by
 * {@link Runner} from the world's counters and trace; nothing in it is re-derived.
 *
 * @param sysctl every sysctl in effect in the node namespace, sorted by key, as {@code {key, value}}
 * @param notModelled parts of the scenario this build does not simulate (printed, never silent)
 */
public record RunResult(String version, String scenario, long seed, String kernel, String proxyMode,
                        List<String[]> sysctl, double simulatedSeconds, double wallSeconds, long packets,
                        long events, List<World.Pod> pods, List<StepResult> steps, List<String> notModelled) {
}
