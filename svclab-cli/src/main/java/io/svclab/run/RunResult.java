package io.svclab.run;

import io.svclab.k8s.Pod;
import io.svclab.k8s.controlplane.PodEvent;

import java.util.List;

/**
 * The outcome of one run: what the result JSON and the text summary print. Built by
 * {@link Runner} from the world's counters and records; nothing in it is re-derived.
 *
 * @param sysctl every sysctl in effect in the node namespace, sorted by key, as {@code {key, value}}
 * @param dumps the texts of {@code dump} steps, in order
 * @param notModelled parts of the scenario this build does not simulate (printed, never silent)
 * @param podEvents the control plane's pod lifecycle events, in time order
 * @param connections every client connection of the run (generated load and scripted connects), see {@link Results}
 * @param backends per backend pod: accepted and failed connections, see {@link Results}
 * @param timeline per simulated second, see {@link Results}
 * @param explanations the causal chains of the first failed or delayed connections (contract §4.3), empty unless asked for
 * @param requests the generated load's requests, see {@link Results}; null when not collected
 */
public record RunResult(String version, String scenario, long seed, String kernel, String proxyMode,
                        List<String[]> sysctl, double simulatedSeconds, double wallSeconds, long packets,
                        long events, List<Pod> pods, List<StepResult> steps, List<Dump> dumps,
                        List<String> notModelled, Results.Connections connections, List<Results.Backend> backends,
                        List<Results.Second> timeline, List<PodEvent> podEvents, List<Explanation> explanations,
                        Results.Requests requests) {

    /** A result without a requests block. */
    public RunResult(String version, String scenario, long seed, String kernel, String proxyMode,
                     List<String[]> sysctl, double simulatedSeconds, double wallSeconds, long packets,
                     long events, List<Pod> pods, List<StepResult> steps, List<Dump> dumps,
                     List<String> notModelled, Results.Connections connections, List<Results.Backend> backends,
                     List<Results.Second> timeline, List<PodEvent> podEvents, List<Explanation> explanations) {
        this(version, scenario, seed, kernel, proxyMode, sysctl, simulatedSeconds, wallSeconds, packets, events, pods,
                steps, dumps, notModelled, connections, backends, timeline, podEvents, explanations, null);
    }

    /** A result without explanations. */
    public RunResult(String version, String scenario, long seed, String kernel, String proxyMode,
                     List<String[]> sysctl, double simulatedSeconds, double wallSeconds, long packets,
                     long events, List<Pod> pods, List<StepResult> steps, List<Dump> dumps,
                     List<String> notModelled, Results.Connections connections, List<Results.Backend> backends,
                     List<Results.Second> timeline, List<PodEvent> podEvents) {
        this(version, scenario, seed, kernel, proxyMode, sysctl, simulatedSeconds, wallSeconds, packets, events, pods,
                steps, dumps, notModelled, connections, backends, timeline, podEvents, List.of());
    }

    /** A result without pod events (no control plane involved). */
    public RunResult(String version, String scenario, long seed, String kernel, String proxyMode,
                     List<String[]> sysctl, double simulatedSeconds, double wallSeconds, long packets,
                     long events, List<Pod> pods, List<StepResult> steps, List<Dump> dumps,
                     List<String> notModelled, Results.Connections connections, List<Results.Backend> backends,
                     List<Results.Second> timeline) {
        this(version, scenario, seed, kernel, proxyMode, sysctl, simulatedSeconds, wallSeconds, packets, events, pods,
                steps, dumps, notModelled, connections, backends, timeline, List.of());
    }

    /**
     * One snapshot of a dump step.
     *
     * @param step the step's index
     * @param kind what was dumped ({@code conntrack}, {@code iptables}, …)
     * @param text exactly what the real tool would print
     */
    public record Dump(int step, String kind, String text) {
    }
}
