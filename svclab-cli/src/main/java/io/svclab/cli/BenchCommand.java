package io.svclab.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.svclab.net.EmbeddedDirector;
import io.svclab.net.TcpFlags;
import io.svclab.net.trace.Trace;
import io.svclab.run.RunResult;
import io.svclab.run.Runner;
import io.svclab.scenario.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code svclab bench [--rate N] [--duration D] [--flows N] [--only PARTS] [--json FILE]}: the
 * end-to-end performance figures of the project's targets, measured on this machine (wall clock:
 * this package may read it, the model never does).
 * <ul>
 * <li>{@code load}: built-in seed-incident at {@code --rate} new connections per second (open
 *     loop) for {@code --duration} simulated, in this JVM: link packets and events per wall
 *     second, and the speed-up over real time;</li>
 * <li>{@code default}: the built-in seed-incident at its own load in a fresh JVM started as the
 *     launcher starts it ({@code java -XX:+UseParallelGC -cp … run builtin:seed-incident --quiet}),
 *     wall time including JVM start;</li>
 * <li>{@code memory}: an IPVS director filled with {@code --flows} flows (each one conntrack and
 *     one IPVS connection entry, created by a SYN through the hooks), heap used after a full GC
 *     before and after, and the bytes per flow.</li>
 * </ul>
 */
@Command(name = "bench", description = "Measure the end-to-end performance figures (packets/s, speed-up, wall time, heap per flow).")
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {

    static final long TARGET_PPS = 3_000_000;
    static final double TARGET_SPEEDUP = 75;
    static final double TARGET_DEFAULT_WALL = 2.0;
    static final long TARGET_FLOW_HEAP = 300L << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--rate", paramLabel = "N", description = "New connections per second of the load run (default 2000).")
    int rate = 2000;

    @CommandLine.Option(names = "--duration", paramLabel = "D", description = "Simulated duration of the load run (default 600s).")
    String duration = "600s";

    @CommandLine.Option(names = "--flows", paramLabel = "N", description = "Flows for the heap figure (default 1000000).")
    int flows = 1_000_000;

    @CommandLine.Option(names = "--only", paramLabel = "PARTS", split = ",",
            description = "Some of: load, default, memory (default: all).")
    List<String> only = new ArrayList<>(List.of("load", "default", "memory"));

    @CommandLine.Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON to FILE (- for standard output).")
    String json;

    /**
     * @param cpuSeconds CPU time of the simulating thread: on a machine shared with other work it
     *                   shows what the run would take alone (wall time includes waiting for a core)
     */
    record Load(int rate, double simulatedSeconds, double wallSeconds, double cpuSeconds, long packets, long events,
                long attempted) {
        double pps() {
            return packets / wallSeconds;
        }

        double cpuPps() {
            return packets / cpuSeconds;
        }

        double eps() {
            return events / wallSeconds;
        }

        double speedup() {
            return simulatedSeconds / wallSeconds;
        }
    }

    record Memory(int flows, int conntrackEntries, int ipvsEntries, long heapBefore, long heapAfter) {
        long used() {
            return heapAfter - heapBefore;
        }

        double bytesPerFlow() {
            return (double) used() / flows;
        }

        double bytesPerEntry() {
            return (double) used() / (conntrackEntries + ipvsEntries);
        }
    }

    @Override
    public Integer call() throws Exception {
        for (String o : only) {
            if (!List.of("load", "default", "memory").contains(o)) {
                throw new UserError("--only " + o + ": expected load, default or memory");
            }
        }
        if (rate <= 0 || flows <= 0) {
            throw new UserError("--rate and --flows: expected positive numbers");
        }
        OutputFile jsonFile = json != null && !json.equals("-") ? OutputFile.check("--json", json) : null;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean table = !"-".equals(json);
        Load load = null;
        Double defaultWall = null;
        Memory memory = null;
        if (only.contains("load")) {
            progress(err, table, "load: builtin:seed-incident at " + rate + " conn/s for " + duration + " ...");
            load = load();
        }
        if (only.contains("default")) {
            progress(err, table, "default: builtin:seed-incident in a fresh JVM ...");
            defaultWall = defaultWall();
        }
        if (only.contains("memory")) {
            progress(err, table, "memory: " + flows + " flows ...");
            memory = memory(flows);
        }
        Load l = load;
        Double d = defaultWall;
        Memory m = memory;
        if (jsonFile != null) {
            jsonFile.write(o -> writeJson(o, l, d, m));
        }
        if ("-".equals(json)) {
            out.flush();
            writeJson(new SweepCommand.NonClosing(System.out), l, d, m);
        } else {
            writeTable(out, l, d, m);
        }
        return Main.EXIT_OK;
    }

    private static void progress(PrintWriter err, boolean on, String s) {
        if (on) {
            err.println("svclab bench: " + s);
            err.flush();
        }
    }

    private Load load() {
        Scenario s = RunCommand.load("builtin:seed-incident", List.of("clients.0.connectionsPerSecond=" + rate,
                "clients.0.concurrency=0", "duration=" + duration));
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        RunResult r = new Runner(s, Trace.NONE).run(t0, System::nanoTime);
        double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        return new Load(rate, r.simulatedSeconds(), r.wallSeconds(), cpu, r.packets(), r.events(),
                r.connections().attempted());
    }

    private static double defaultWall() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        // the collector the ./svclab launcher uses
        List<String> cmd = List.of(java, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "builtin:seed-incident", "--quiet");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("default seed-incident run did not finish in 300 s");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("default seed-incident run exited with " + p.exitValue());
        }
        return wall;
    }

    /** Fills a director with {@code n} flows and measures the heap they take. */
    static Memory memory(int n) {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(mx);
        EmbeddedDirector d = new EmbeddedDirector("5.10", n + 16);
        int ct0 = d.conntrack().count();
        int ipvs0 = d.ipvs().connectionCount();
        long base = usedAfterGc(mx);
        for (int i = 2; i < n + 2; i++) {
            d.segment(i, TcpFlags.SYN);
        }
        long after = usedAfterGc(mx);
        Memory m = new Memory(n, d.conntrack().count() - ct0, d.ipvs().connectionCount() - ipvs0, base, after);
        if (before < 0) {
            throw new IllegalStateException("heap usage unavailable");
        }
        // keep the director reachable until after the measurement
        if (d.conntrack().count() < 0) {
            throw new IllegalStateException();
        }
        return m;
    }

    private static long usedAfterGc(MemoryMXBean mx) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mx.getHeapMemoryUsage().getUsed();
    }

    private static void writeJson(OutputStream o, Load l, Double d, Memory m) throws IOException {
        try (JsonGenerator g = io.svclab.report.Json.open(o)) {
            g.writeStartObject();
            g.writeStringField("svclab", Runner.VERSION);
            g.writeNumberField("processors", Runtime.getRuntime().availableProcessors());
            g.writeStringField("java", System.getProperty("java.version"));
            if (l != null) {
                g.writeObjectFieldStart("load");
                g.writeStringField("scenario", "builtin:seed-incident");
                g.writeNumberField("connectionsPerSecond", l.rate());
                g.writeNumberField("attempted", l.attempted());
                g.writeNumberField("simulatedSeconds", l.simulatedSeconds());
                g.writeNumberField("wallSeconds", round(l.wallSeconds(), 3));
                g.writeNumberField("cpuSeconds", round(l.cpuSeconds(), 3));
                g.writeNumberField("packets", l.packets());
                g.writeNumberField("events", l.events());
                g.writeNumberField("packetsPerSecond", Math.round(l.pps()));
                g.writeNumberField("eventsPerSecond", Math.round(l.eps()));
                g.writeNumberField("speedup", round(l.speedup(), 1));
                g.writeNumberField("packetsPerCpuSecond", Math.round(l.cpuPps()));
                g.writeNumberField("targetPacketsPerSecond", TARGET_PPS);
                g.writeNumberField("targetSpeedup", TARGET_SPEEDUP);
                g.writeEndObject();
            }
            if (d != null) {
                g.writeObjectFieldStart("default");
                g.writeStringField("scenario", "builtin:seed-incident");
                g.writeNumberField("wallSecondsWithJvmStart", round(d, 3));
                g.writeNumberField("targetWallSeconds", TARGET_DEFAULT_WALL);
                g.writeEndObject();
            }
            if (m != null) {
                g.writeObjectFieldStart("memory");
                g.writeNumberField("flows", m.flows());
                g.writeNumberField("conntrackEntries", m.conntrackEntries());
                g.writeNumberField("ipvsEntries", m.ipvsEntries());
                g.writeNumberField("heapBytes", m.used());
                g.writeNumberField("bytesPerFlow", round(m.bytesPerFlow(), 1));
                g.writeNumberField("bytesPerEntry", round(m.bytesPerEntry(), 1));
                g.writeNumberField("targetHeapBytesPerMillionFlows", TARGET_FLOW_HEAP);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void writeTable(PrintWriter out, Load l, Double d, Memory m) {
        out.printf(Locale.ROOT, "%-58s %16s %16s%n", "figure", "measured", "target");
        if (l != null) {
            String what = "seed-incident " + l.rate() + " conn/s, " + Math.round(l.simulatedSeconds()) + " s";
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", what + ": packets/s", String.format(Locale.ROOT, "%,.0f", l.pps()),
                    String.format(Locale.ROOT, ">= %,d", TARGET_PPS));
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "  events/s", String.format(Locale.ROOT, "%,.0f", l.eps()), "");
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "  speed-up over real time",
                    String.format(Locale.ROOT, "%.1fx", l.speedup()), String.format(Locale.ROOT, ">= %.0fx", TARGET_SPEEDUP));
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "  packets per CPU second of the run's thread",
                    String.format(Locale.ROOT, "%,.0f", l.cpuPps()), "");
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "  wall s / CPU s",
                    String.format(Locale.ROOT, "%.2f / %.2f", l.wallSeconds(), l.cpuSeconds()), "");
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "  packets / events", l.packets(), l.events());
        }
        if (d != null) {
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "seed-incident default: wall s incl. JVM start",
                    String.format(Locale.ROOT, "%.2f", d), String.format(Locale.ROOT, "< %.0f", TARGET_DEFAULT_WALL));
        }
        if (m != null) {
            out.printf(Locale.ROOT, "%-58s %16s %16s%n",
                    String.format(Locale.ROOT, "heap for %,d flows (ct %,d + ipvs %,d)", m.flows(), m.conntrackEntries(),
                            m.ipvsEntries()),
                    String.format(Locale.ROOT, "%.1f MB", m.used() / 1048576.0),
                    String.format(Locale.ROOT, "<= %.0f MB/1M", TARGET_FLOW_HEAP / 1048576.0));
            out.printf(Locale.ROOT, "%-58s %16s %16s%n", "  bytes per flow / per entry",
                    String.format(Locale.ROOT, "%.0f / %.0f", m.bytesPerFlow(), m.bytesPerEntry()), "");
        }
        out.flush();
    }
}
