package io.svclab.run;

import io.svclab.kernel.Sysctl;
import io.svclab.net.NetNamespace;
import io.svclab.net.trace.Trace;
import io.svclab.scenario.Client;
import io.svclab.scenario.Event;
import io.svclab.scenario.Problem;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioException;
import io.svclab.scenario.SourcePos;
import io.svclab.scenario.Step;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario on a freshly built {@link World}: scripted steps in order on the simulated
 * clock, then the simulation to the scenario's end.
 *
 * <p>This build models the network layer (namespaces, links, routing, neighbours, hook chains).
 * Scenario parts that need models not built yet are refused with a located error when they would
 * change the outcome (scripted connects, rule and IPVS steps, rollout events), and listed in
 * {@link RunResult#notModelled()} when they are only absent (client load).
 */
public final class Runner {

    /** The product version printed in results. */
    public static final String VERSION = "0.1.0";

    private final Scenario scenario;
    private final Trace trace;

    public Runner(Scenario scenario, Trace trace) {
        this.scenario = scenario;
        this.trace = trace;
    }

    /**
     * Checks that every step and event is one this build can execute.
     *
     * @throws ScenarioException naming each unsupported step or event
     */
    public static void checkSupported(Scenario s) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
            Step st = s.steps().get(i);
            String need = null;
            if (st instanceof Step.Connect || st instanceof Step.Vanish) {
                need = "TCP endpoints";
            } else if (st instanceof Step.IptablesRestore || st instanceof Step.Nft || st instanceof Step.Conntrack) {
                need = "conntrack and NAT rules";
            } else if (st instanceof Step.Ipvsadm) {
                need = "IPVS";
            } else if (st instanceof Step.Dump) {
                need = "conntrack and IPVS tables";
            }
            if (need != null) {
                problems.add(problem(st.pos(), "steps[" + i + "]." + stepType(st),
                        "needs the " + need + " model, which this build does not have yet"));
            }
        }
        for (int i = 0; i < s.events().size(); i++) {
            Event e = s.events().get(i);
            problems.add(problem(e.pos(), "events[" + i + "]",
                    "rollout and scale events need the control-plane model, which this build does not have yet"));
        }
        if (s.proxy().mode() == io.svclab.scenario.ProxyMode.IPVS) {
            problems.add(problem(s.position("proxy.mode"), "proxy.mode",
                    "ipvs needs the IPVS model, which this build does not have yet"));
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new ScenarioException(problems);
        }
    }

    private static Problem problem(SourcePos pos, String field, String message) {
        return new Problem(pos.file(), pos.line(), pos.column(), field, message);
    }

    /** The YAML key of a step. */
    public static String stepType(Step st) {
        if (st instanceof Step.Connect) {
            return "connect";
        } else if (st instanceof Step.Wait) {
            return "wait";
        } else if (st instanceof Step.Ipvsadm) {
            return "ipvsadm";
        } else if (st instanceof Step.IptablesRestore) {
            return "iptables-restore";
        } else if (st instanceof Step.Nft) {
            return "nft";
        } else if (st instanceof Step.SysctlStep) {
            return "sysctl";
        } else if (st instanceof Step.DeletePod) {
            return "deletePod";
        } else if (st instanceof Step.Vanish) {
            return "vanish";
        } else if (st instanceof Step.Conntrack) {
            return "conntrack";
        }
        return "dump";
    }

    /** Builds the world and runs it to the end. */
    public RunResult run(long wallStartNanos, java.util.function.LongSupplier wallClock) {
        checkSupported(scenario);
        World world = World.build(scenario, trace);
        List<StepResult> results = new ArrayList<>();
        world.sim().schedule(0, Priority.CONTROL, new StepRunner(world, results, 0));
        world.sim().runUntil(scenario.durationNs());

        List<String> notModelled = new ArrayList<>();
        for (Client c : scenario.clients()) {
            if (c.connectionsPerSecond() > 0 || c.concurrency() > 0) {
                notModelled.add("clients." + c.name() + ": connection load needs the TCP endpoint model;"
                        + " no connections were opened");
            }
        }
        NetNamespace node = world.node();
        double wall = (wallClock.getAsLong() - wallStartNanos) / 1e9;
        return new RunResult(VERSION, scenario.name(), scenario.seed(), scenario.kernel(),
                scenario.proxy().mode().yamlName(), node.sysctls().entries(), scenario.durationNs() / 1e9, wall,
                world.network().stats().linkPackets(), world.sim().eventsExecuted(), world.pods(), results,
                notModelled);
    }

    /** Executes steps from {@code next} on until a wait, which schedules the rest. */
    private final class StepRunner implements Action {
        private final World world;
        private final List<StepResult> results;
        private final int next;

        StepRunner(World world, List<StepResult> results, int next) {
            this.world = world;
            this.results = results;
            this.next = next;
        }

        @Override
        public void run() {
            List<Step> steps = scenario.steps();
            for (int i = next; i < steps.size(); i++) {
                Step st = steps.get(i);
                long now = world.sim().now();
                if (st instanceof Step.Wait) {
                    Step.Wait w = (Step.Wait) st;
                    results.add(new StepResult(i, "wait", now, io.svclab.scenario.Durations.format(w.ns())));
                    world.sim().schedule(now + w.ns(), Priority.CONTROL, new StepRunner(world, results, i + 1));
                    return;
                } else if (st instanceof Step.SysctlStep) {
                    Step.SysctlStep s = (Step.SysctlStep) st;
                    StringBuilder d = new StringBuilder();
                    for (Map.Entry<Sysctl, Long> e : s.values().entrySet()) {
                        for (io.svclab.k8s.ClusterNetwork.Node n : world.cluster().nodes()) {
                            n.namespace().sysctls().set(e.getKey(), e.getValue());
                        }
                        d.append(d.length() == 0 ? "" : " ").append(e.getKey().key()).append('=')
                                .append(e.getKey().format(e.getValue()));
                    }
                    results.add(new StepResult(i, "sysctl", now, d.toString()));
                } else if (st instanceof Step.DeletePod) {
                    Step.DeletePod dp = (Step.DeletePod) st;
                    World.Pod pod = world.pod(dp.pod());
                    if (pod != null) {
                        pod.ns().destroy();
                    }
                    results.add(new StepResult(i, "deletePod", now, pod == null ? dp.pod() + " (no such pod)" : dp.pod()));
                }
            }
        }

        @Override
        public String describe() {
            return "steps from " + next;
        }
    }
}
