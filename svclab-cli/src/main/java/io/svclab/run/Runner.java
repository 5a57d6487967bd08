package io.svclab.run;

import io.svclab.k8s.Pod;
import io.svclab.k8s.workload.ClientLoad;
import io.svclab.k8s.workload.LoadGenerator;
import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.conntrack.Conn;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.conntrack.ConntrackTool;
import io.svclab.net.conntrack.CtFormat;
import io.svclab.net.iptables.IptablesRestoreException;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsFormat;
import io.svclab.net.ipvs.Ipvsadm;
import io.svclab.net.nftables.NftablesException;
import io.svclab.net.nftables.NftablesRuleset;
import io.svclab.net.tcp.CloseKind;
import io.svclab.net.tcp.Closer;
import io.svclab.net.tcp.ConnectSpec;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.net.tcp.TcpStack;
import io.svclab.net.trace.Trace;
import io.svclab.scenario.Client;
import io.svclab.scenario.Deployment;
import io.svclab.scenario.DumpKind;
import io.svclab.scenario.Event;
import io.svclab.scenario.Problem;
import io.svclab.scenario.ProxyMode;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioException;
import io.svclab.scenario.Service;
import io.svclab.scenario.SourcePos;
import io.svclab.scenario.Step;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a scenario on a freshly built {@link World}: scripted steps in order on the simulated
 * clock, then the simulation to the scenario's end. When the trace is an {@link ExplainCollector}
 * the result carries its explanations.
 *
 * <p>Scenario parts that need models not built yet are refused with a located error. Generated
 * client load starts when the last backend pod
 * created at start-up is ready ({@link World#initialPodsReadyNs()}); every client connection, generated
 * or scripted, is aggregated by {@link Results}. A step whose text the real tool
 * would refuse (rule text, conntrack options) stops the run with a located error; nothing is
 * written then.
 */
public final class Runner {

    /** The product version printed in results. */
    public static final String VERSION = "0.1.0";

    private final Scenario scenario;
    private final Trace trace;
    /** Sees the world once it is built, before anything runs (tests: invariant checks). */
    private final java.util.function.Consumer<World> observer;

    public Runner(Scenario scenario, Trace trace) {
        this(scenario, trace, w -> { });
    }

    /**
     * A runner that shows the world to {@code observer} once it is built, before anything runs:
     * where a packet capture ({@code Network.setTap}) or a progress display
     * ({@code Simulation.setListener}) attaches.
     */
    public Runner(Scenario scenario, Trace trace, java.util.function.Consumer<World> observer) {
        this.scenario = scenario;
        this.trace = trace;
        this.observer = observer;
    }

    /**
     * Checks that every step and event is one this build can execute.
     *
     * @throws ScenarioException naming each unsupported part at its position
     */
    public static void checkSupported(Scenario s) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
            Step st = s.steps().get(i);
            if (st instanceof Step.Ipvsadm && (s.proxy().mode() == ProxyMode.IPTABLES
                    || s.proxy().mode() == ProxyMode.NFTABLES)) {
                problems.add(problem(st.pos(), "steps[" + i + "].ipvsadm", "ipvsadm steps need IPVS on the node:"
                        + " proxy.mode ipvs or none"));
            } else if (st instanceof Step.Dump) {
                for (DumpKind k : ((Step.Dump) st).kinds()) {
                    if ((k == DumpKind.IPVS || k == DumpKind.IPVS_CONN || k == DumpKind.PROC_IPVS_CONN)
                            && !World.usesIpvs(s)) {
                        problems.add(problem(st.pos(), "steps[" + i + "].dump", k.yamlName()
                                + " needs IPVS on the node (ipvsadm steps)"));
                    } else if (k == DumpKind.NFT) {
                        problems.add(problem(st.pos(), "steps[" + i + "].dump",
                                "nft dumps (nft list ruleset) are not modelled yet"));
                    } else if (k == DumpKind.IPTABLES && World.usesNftables(s)) {
                        problems.add(problem(st.pos(), "steps[" + i + "].dump",
                                "iptables dumps need iptables on the node (this node runs nftables)"));
                    }
                }
            } else if (st instanceof Step.Nft && s.proxy().mode() == ProxyMode.IPTABLES) {
                problems.add(problem(st.pos(), "steps[" + i + "].nft", "nft text needs proxy.mode nftables or none"
                        + " (this node runs kube-proxy's iptables rules)"));
            } else if (st instanceof Step.IptablesRestore && World.usesNftables(s)) {
                problems.add(problem(st.pos(), "steps[" + i + "].iptables-restore", "iptables-restore text needs"
                        + " proxy.mode iptables or none without nft steps (this node runs nftables)"));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
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
        } else if (st instanceof Step.LinkDown) {
            return "linkDown";
        } else if (st instanceof Step.Vanish) {
            return "vanish";
        } else if (st instanceof Step.Conntrack) {
            return "conntrack";
        }
        return "dump";
    }

    /** Builds the world and runs it to the end. */
    public RunResult run(long wallStartNanos, LongSupplier wallClock) {
        checkSupported(scenario);
        World world = World.build(scenario, trace);
        ExplainCollector explain = trace instanceof ExplainCollector ? (ExplainCollector) trace : null;
        if (explain != null) {
            explain.backendsFrom(world::backendOf);
        }
        observer.accept(world);
        Results collected = new Results(scenario.durationNs());
        StepRunner steps = new StepRunner(world, collected);
        world.sim().schedule(0, Priority.CONTROL, steps);
        List<LoadGenerator> generators = startClientLoad(world, collected);
        world.sim().runUntil(scenario.durationNs());
        if (steps.failure != null) {
            throw steps.failure;
        }
        steps.finishRunning();
        for (LoadGenerator g : generators) {
            collected.addInFlight(g.inFlight());
            collected.addRequestsInFlight(g.requestsInFlight());
        }

        List<String> notModelled = new ArrayList<>();
        List<StepResult> results = new ArrayList<>(steps.results);
        results.sort(Comparator.comparingInt(StepResult::index));
        NetNamespace node = world.node();
        List<Explanation> explanations = explain == null ? List.of() : explain.explanations(name -> {
            Pod p = world.pod(name);
            return p == null ? null : p.ip();
        });
        double wall = (wallClock.getAsLong() - wallStartNanos) / 1e9;
        return new RunResult(VERSION, scenario.name(), scenario.seed(), scenario.kernel(),
                scenario.proxy().mode().yamlName(), node.sysctls().entries(), scenario.durationNs() / 1e9, wall,
                world.network().stats().linkPackets(), world.sim().eventsExecuted(), world.pods(), results,
                steps.dumps, notModelled, collected.connections(), collected.backends(world.pods()),
                collected.timeline(world.pods()), world.controlPlane().events(), explanations, collected.requests());
    }

    /**
     * Starts the generated load of every client with {@code connectionsPerSecond > 0} or
     * {@code concurrency > 0}, one generator per client pod ({@code pooled}: a keep-alive pool of
     * {@code poolSize} connections with {@code idleTimeout}): from the moment the last backend pod
     * created at start-up is ready ({@link World#initialPodsReadyNs()}, after the steps that run at
     * t=0) to the scenario's end. The connections close as the target's pods say ({@code closer});
     * records go to {@code sink} with the pod that accepted them.
     */
    private List<LoadGenerator> startClientLoad(World world, Results sink) {
        List<LoadGenerator> out = new ArrayList<>();
        long end = scenario.durationNs();
        long start = Math.min(world.initialPodsReadyNs(), end);
        for (Client c : scenario.clients()) {
            if (c.connectionsPerSecond() <= 0 && c.concurrency() <= 0) {
                continue;
            }
            Service svc = scenario.services().stream().filter(x -> x.name().equals(c.target())).findFirst()
                    .orElseThrow();
            Closer closer = closerOf(svc);
            for (int i = 0; i < c.replicas(); i++) {
                Pod pod = world.pod(c.name() + "-" + i);
                ClientLoad load = new ClientLoad(pod.name(), svc.clusterIP(), svc.port(), c.connectionsPerSecond(),
                        c.arrivals() == io.svclab.scenario.Arrivals.CONSTANT ? ClientLoad.Arrivals.CONSTANT
                                : ClientLoad.Arrivals.POISSON, c.concurrency(),
                        c.pattern() == io.svclab.scenario.Pattern.POOLED ? ClientLoad.Pattern.POOLED
                                : ClientLoad.Pattern.SHORT, c.timeoutNs(), closer, CloseKind.FIN, start, end,
                        c.poolSize(), c.idleTimeoutNs());
                TcpStack tcp = TcpStack.of(pod.ns());
                LoadGenerator g = new LoadGenerator(world.sim(), load, tcp::connect, tcp::connectKeepAlive, rec -> {
                    Pod b = world.backendPodOf(rec.flowId());
                    sink.add(rec, b == null ? null : b.name());
                    world.forgetFlow(rec.flowId());
                }, r -> {
                    Pod b = r.flowId() < 0 ? null : world.backendPodOf(r.flowId());
                    sink.addRequest(r.result(), r.arrivalNs(), r.endNs(), b == null ? null : b.name());
                });
                g.start();
                out.add(g);
            }
        }
        return out;
    }

    /** Who closes a finished connection to this Service first: the server when its pods say so. */
    private Closer closerOf(Service svc) {
        for (Deployment d : scenario.deployments()) {
            if (d.service().equals(svc.name()) && d.pod().closer() == io.svclab.scenario.Closer.SERVER) {
                return Closer.SERVER;
            }
        }
        return Closer.CLIENT;
    }

    /**
     * Executes the steps in order: a {@code wait} resumes after its duration, a {@code connect}
     * resumes when its request is done or has failed; everything else takes no simulated time.
     */
    private final class StepRunner implements Action {
        private final World world;
        private final Results collected;
        private final List<StepResult> results = new ArrayList<>();
        private final List<RunResult.Dump> dumps = new ArrayList<>();
        private int next;
        private ScenarioException failure;
        /** The connect step in progress: its index, start and requested port, or index -1. */
        private int runningIndex = -1;
        private long runningStart;
        private int runningSport;

        StepRunner(World world, Results collected) {
            this.world = world;
            this.collected = collected;
        }

        @Override
        public void run() {
            List<Step> steps = scenario.steps();
            while (next < steps.size()) {
                int i = next++;
                Step st = steps.get(i);
                long now = world.sim().now();
                try {
                    if (st instanceof Step.Wait) {
                        Step.Wait w = (Step.Wait) st;
                        results.add(new StepResult(i, "wait", now, io.svclab.scenario.Durations.format(w.ns())));
                        world.sim().schedule(now + w.ns(), Priority.CONTROL, this);
                        return;
                    }
                    if (st instanceof Step.Connect) {
                        connect(i, (Step.Connect) st);
                        return;
                    }
                    execute(i, st, now);
                } catch (ScenarioException e) {
                    failure = e;
                    world.sim().stop();
                    return;
                }
            }
        }

        private void execute(int i, Step st, long now) {
            if (st instanceof Step.SysctlStep) {
                StringBuilder d = new StringBuilder();
                for (Map.Entry<io.svclab.kernel.Sysctl, Long> e : ((Step.SysctlStep) st).values().entrySet()) {
                    for (NetNamespace n : world.nodes()) {
                        n.sysctls().set(e.getKey(), e.getValue());
                    }
                    d.append(d.length() == 0 ? "" : " ").append(e.getKey().key()).append('=')
                            .append(e.getKey().format(e.getValue()));
                }
                results.add(new StepResult(i, "sysctl", now, d.toString()));
            } else if (st instanceof Step.DeletePod) {
                Step.DeletePod dp = (Step.DeletePod) st;
                Pod pod = world.pod(dp.pod());
                if (pod != null && !pod.ns().destroyed()) {
                    world.deletePod(pod);
                }
                results.add(new StepResult(i, "deletePod", now, pod == null ? dp.pod() + " (no such pod)" : dp.pod()));
            } else if (st instanceof Step.LinkDown) {
                Step.LinkDown ld = (Step.LinkDown) st;
                Pod pod = world.pod(ld.pod());
                if (pod != null && !pod.ns().destroyed()) {
                    world.linkDown(pod);
                }
                results.add(new StepResult(i, "linkDown", now, pod == null ? ld.pod() + " (no such pod)" : ld.pod()));
            } else if (st instanceof Step.IptablesRestore) {
                String text = ((Step.IptablesRestore) st).text();
                for (NetNamespace n : world.nodes()) {
                    try {
                        n.attachment(IptablesTables.class).restore(text, true);
                    } catch (IptablesRestoreException e) {
                        throw textProblem(st, i, "iptables-restore", e.line(), e.getMessage());
                    }
                }
                results.add(new StepResult(i, "iptables-restore", now, "applied to " + world.nodes().size() + " node(s)"));
            } else if (st instanceof Step.Nft) {
                String text = ((Step.Nft) st).text();
                for (NetNamespace n : world.nodes()) {
                    try {
                        n.attachment(NftablesRuleset.class).apply(text);
                    } catch (NftablesException e) {
                        throw textProblem(st, i, "nft", e.line(), e.getMessage());
                    }
                }
                results.add(new StepResult(i, "nft", now, "applied to " + world.nodes().size() + " node(s)"));
            } else if (st instanceof Step.Ipvsadm) {
                String args = ((Step.Ipvsadm) st).args();
                StringBuilder out = new StringBuilder();
                for (NetNamespace n : world.nodes()) {
                    Ipvsadm.Result r = new Ipvsadm(Ipvs.of(n)).exec(args);
                    if (r.exitCode() != 0) {
                        SourcePos p = st.pos();
                        throw new ScenarioException(List.of(new Problem(p.file(), p.line(), p.column(),
                                "steps[" + i + "].ipvsadm", r.stderr().strip())));
                    }
                    if (out.length() == 0) {
                        out.append(r.stdout());
                    }
                }
                results.add(new StepResult(i, "ipvsadm", now, out.length() == 0 ? "ok" : out.toString().strip()));
            } else if (st instanceof Step.Conntrack) {
                ConntrackTool.Result r = new ConntrackTool(world.node().attachment(ConntrackTable.class))
                        .run(((Step.Conntrack) st).args());
                if (!r.ok()) {
                    SourcePos p = st.pos();
                    throw new ScenarioException(List.of(new Problem(p.file(), p.line(), p.column(),
                            "steps[" + i + "].conntrack", r.stderr().strip())));
                }
                results.add(new StepResult(i, "conntrack", now, (r.stdout() + r.stderr()).strip()));
            } else if (st instanceof Step.Vanish) {
                Step.Vanish v = (Step.Vanish) st;
                Pod client = world.pod(v.client() + "-0");
                int n = TcpStack.of(client.ns()).vanish(v.sport());
                results.add(new StepResult(i, "vanish", now, n + " socket(s) on port " + v.sport() + " forgotten"));
            } else if (st instanceof Step.Dump) {
                StringBuilder kinds = new StringBuilder();
                for (DumpKind k : ((Step.Dump) st).kinds()) {
                    dumps.add(new RunResult.Dump(i, k.yamlName(), dump(k, now)));
                    kinds.append(kinds.length() == 0 ? "" : " ").append(k.yamlName());
                }
                results.add(new StepResult(i, "dump", now, kinds.toString()));
            }
        }

        private ScenarioException textProblem(Step st, int i, String type, int line, String message) {
            SourcePos p = st.pos();
            // a block text starts on the line after the step's "|"
            return new ScenarioException(List.of(new Problem(p.file(), p.line() + Math.max(line, 1), 1,
                    "steps[" + i + "]." + type, message)));
        }

        private String dump(DumpKind k, long now) {
            NetNamespace node = world.node();
            ConntrackTable ct = node.attachment(ConntrackTable.class);
            StringBuilder b = new StringBuilder();
            switch (k) {
                case CONNTRACK:
                    for (Conn c : ct.entries()) {
                        b.append(CtFormat.conntrackLine(c, now, false, false)).append('\n');
                    }
                    return b.toString();
                case PROC_CONNTRACK:
                    for (Conn c : ct.entries()) {
                        b.append(CtFormat.procLine(c, now)).append('\n');
                    }
                    return b.toString();
                case IPTABLES:
                    IptablesTables t = node.attachment(IptablesTables.class);
                    return t == null ? "" : t.save();
                case IPVS:
                    return IpvsFormat.list(Ipvs.of(node));
                case IPVS_CONN:
                    return IpvsFormat.connections(Ipvs.of(node));
                case PROC_IPVS_CONN:
                    return IpvsFormat.procIpVsConn(Ipvs.of(node));
                case SYSCTL:
                    for (String[] kv : node.sysctls().entries()) {
                        b.append(kv[0]).append(" = ").append(kv[1]).append('\n');
                    }
                    return b.toString();
                default:
                    throw new ScenarioException(List.of(new Problem(scenario.source(), 1, 1, "dump",
                            k.yamlName() + " dumps are not modelled yet")));
            }
        }

        private void connect(int i, Step.Connect c) {
            Pod client = world.pod(c.client() + "-0");
            Client spec = scenario.clients().stream().filter(x -> x.name().equals(c.client())).findFirst().orElseThrow();
            Service svc = scenario.services().stream().filter(x -> x.name().equals(spec.target())).findFirst().orElseThrow();
            Closer closer = closerOf(svc);
            CloseKind kind = CloseKind.FIN;
            if (c.close() == io.svclab.scenario.CloseKind.RST) {
                closer = Closer.CLIENT;
                kind = CloseKind.RST;
            }
            ConnectSpec cs = ConnectSpec.to(svc.clusterIP(), svc.port()).withSourcePort(c.sport())
                    .withAppTimeout(spec.timeoutNs()).withHold(c.holdNs()).closedBy(closer, kind);
            long start = world.sim().now();
            runningIndex = i;
            runningStart = start;
            runningSport = c.sport();
            boolean[] resumed = {false};
            TcpStack.of(client.ns()).connect(cs, rec -> {
                if (!resumed[0]) {
                    resumed[0] = true;
                    record(i, start, rec);
                    world.sim().scheduleIn(0, Priority.CONTROL, this);
                }
            }, rec -> {
                Pod b = world.backendPodOf(rec.flowId());
                collected.add(rec, b == null ? null : b.name());
                if (!resumed[0]) {
                    resumed[0] = true;
                    record(i, start, rec);
                    world.sim().scheduleIn(0, Priority.CONTROL, this);
                }
            });
        }

        /** A connect step still in progress when the run ends is reported as RUNNING. */
        void finishRunning() {
            if (runningIndex >= 0) {
                results.add(new StepResult(runningIndex, "connect", runningStart, "RUNNING",
                        new StepResult.Connect(runningSport, "RUNNING", null, null, null)));
                runningIndex = -1;
            }
        }

        private void record(int i, long start, ConnectionRecord rec) {
            runningIndex = -1;
            String backend = rec.result() == io.svclab.net.tcp.ConnectResult.OK
                    || rec.result() == io.svclab.net.tcp.ConnectResult.ECONNRESET
                    ? world.backendOf(rec.flowId()) : null;
            double ms = rec.connectNs() < 0 ? 0 : rec.connectNs() / 1e6;
            results.add(new StepResult(i, "connect", start, rec.result().name(),
                    new StepResult.Connect(rec.localPort(), rec.result().name(), backend, ms, rec.synRetransmissions())));
        }

        @Override
        public String describe() {
            return "steps from " + next;
        }
    }
}
