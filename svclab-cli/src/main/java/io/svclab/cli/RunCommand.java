package io.svclab.cli;

import io.svclab.net.trace.Trace;
import io.svclab.net.trace.TraceEvent;
import io.svclab.report.JsonReport;
import io.svclab.report.PcapWriter;
import io.svclab.report.TextReport;
import io.svclab.run.ExplainCollector;
import io.svclab.run.RunResult;
import io.svclab.run.Runner;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code svclab run SCENARIO [options]}. */
@Command(name = "run", description = "Run one scenario (a YAML file or builtin:NAME).")
public final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "SCENARIO", description = "A YAML file or builtin:NAME.")
    String scenario;

    @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one field by dotted path (proxy.mode=iptables, sysctl.net.ipv4.vs.conn_reuse_mode=1). Repeatable.")
    List<String> sets = new ArrayList<>();

    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
    Long seed;

    @CommandLine.Option(names = "--json", paramLabel = "FILE", description = "Write the result JSON to FILE (- for standard output).")
    String json;

    @CommandLine.Option(names = "--report", paramLabel = "FILE",
            description = "Write the HTML report (one self-contained file) to FILE.")
    String report;

    @CommandLine.Option(names = "--pcap", paramLabel = "FILE",
            description = "Write the packets as a pcapng file (one interface per capture point) that Wireshark and tshark read.")
    String pcap;

    @CommandLine.Option(names = "--trace", description = "Print every packet's path through the hooks (small scenarios).")
    boolean trace;

    @CommandLine.Option(names = "--quiet", description = "Only errors.")
    boolean quiet;

    @CommandLine.Option(names = "--from-dumps", paramLabel = "DIR", description = "Seed the first node's IPVS and"
            + " conntrack entries and sysctls from the dumps in DIR (ipvsadm-Lnc.txt, nf_conntrack.txt, sysctl-a.txt, ...).")
    Path fromDumps;

    @CommandLine.Option(names = "--explain", paramLabel = "N",
            description = "Print the causal explanation of the first N failed or delayed connections (also with"
                    + " --quiet; on standard error with --json -).")
    Integer explain;

    @Override
    public Integer call() throws Exception {
        List<String> allSets = new ArrayList<>(sets);
        if (seed != null) {
            allSets.add("seed=" + seed);
        }
        if (explain != null && explain < 1) {
            throw new UserError("--explain: expected a positive number of connections, got " + explain);
        }
        Scenario s = load(scenario, allSets);
        Runner.checkSupported(s);
        OutputFile jsonFile = json != null && !json.equals("-") ? OutputFile.check("--json", json) : null;
        OutputFile reportFile = report != null ? OutputFile.check("--report", report) : null;
        OutputFile pcapFile = pcap != null ? OutputFile.check("--pcap", pcap) : null;
        boolean jsonToStdout = "-".equals(json);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        Trace sink = Trace.NONE;
        if (trace) {
            PrintWriter traceOut = jsonToStdout ? err : out;
            sink = new Trace() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public void emit(TraceEvent e) {
                    traceOut.printf(Locale.ROOT, "%14.6f %-14s %s%n", e.time() / 1e9, e.where(), e.format());
                }
            };
        }
        io.svclab.diagnose.FromDumps seed = null;
        if (fromDumps != null) {
            try {
                seed = io.svclab.diagnose.FromDumps.load(fromDumps, s.kernelProfile());
            } catch (io.svclab.diagnose.DumpException e) {
                throw new UserError(e.getMessage());
            }
        }
        if (explain != null) {
            sink = new ExplainCollector(explain, sink);
        }
        boolean explained = explain != null;
        long start = System.nanoTime();
        Progress progress = !quiet && Progress.stderrIsTerminal(System.getenv("SVCLAB_STDERR_TTY"),
                System.console() != null) ? new Progress(err, System::nanoTime, s.durationNs()) : null;
        Trace traceSink = sink;
        io.svclab.diagnose.FromDumps seeded = seed;
        RunResult[] result = new RunResult[1];
        try {
            if (pcapFile == null) {
                result[0] = new Runner(s, traceSink, w -> observe(w, seeded, progress, null)).run(start, System::nanoTime);
            } else {
                // the capture streams into the output file's temporary sibling while the run goes
                pcapFile.write(o -> {
                    try (PcapWriter pw = new PcapWriter(new java.io.BufferedOutputStream(o, 1 << 16),
                            "svclab " + Runner.VERSION)) {
                        result[0] = new Runner(s, traceSink, w -> observe(w, seeded, progress, pw)).run(start, System::nanoTime);
                    }
                });
            }
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        RunResult r = result[0];

        if (jsonFile != null) {
            jsonFile.write(o -> JsonReport.write(r, explained, o));
        }
        if (reportFile != null) {
            reportFile.write(o -> io.svclab.report.HtmlReport.write(
                    java.util.List.of(new io.svclab.report.HtmlReport.Section(r.scenario(), r)),
                    "svclab: " + r.scenario(), o));
        }
        if (jsonToStdout) {
            JsonReport.write(r, explained, new OutputStreamWriter(new NonClosing(System.out), StandardCharsets.UTF_8));
        } else if (!quiet) {
            TextReport.write(r, out);
        }
        if (explained) {
            PrintWriter to = jsonToStdout ? err : out;
            if (!jsonToStdout && !quiet) {
                to.println(); // after the summary table
            }
            TextReport.writeExplanations(r.explanations(), to);
        }
        if (!quiet && !r.notModelled().isEmpty()) {
            for (String n : r.notModelled()) {
                err.println("svclab: warning: " + n);
            }
            err.flush();
        }
        if (!quiet && seed != null) {
            seed.warnings().forEach(w -> err.println("svclab: warning: --from-dumps: " + w));
            err.flush();
        }
        return Main.EXIT_OK;
    }

    private static void observe(io.svclab.run.World w, io.svclab.diagnose.FromDumps seeded, Progress progress,
                                PcapWriter pcap) {
        if (seeded != null) {
            seeded.seed(w.node());
        }
        if (progress != null) {
            progress.attach(w.sim());
        }
        w.network().setTap(pcap);
    }

    /** Loads a file or a built-in scenario with the overrides. */
    static Scenario load(String what, List<String> sets) {
        if (what.startsWith("builtin:")) {
            String name = what.substring("builtin:".length());
            return ScenarioLoader.loadText(what, BuiltinScenarios.yaml(name), sets);
        }
        return ScenarioLoader.load(Path.of(what), sets);
    }

    /** Lets the JSON writer close its stream without closing standard output. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
