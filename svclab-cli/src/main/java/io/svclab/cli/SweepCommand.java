package io.svclab.cli;

import io.svclab.net.trace.Trace;
import io.svclab.run.RunResult;
import io.svclab.run.Runner;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code svclab sweep SCENARIO --vary KEY=V1,V2,… [--vary …] [--seeds N] [--threads N]
 * [--shard I/N] [--json FILE] [--csv FILE]} (contract §1): runs the cross product of the values
 * times N seeds on a pool of threads, one independent simulation per combination, and prints one
 * row per combination in combination order. Every combination is loaded and checked before the
 * first run starts, so a bad key or value exits 2 with nothing written.
 */
@Command(name = "sweep", description = "Run the cross product of --vary values (times --seeds seeds) in parallel, one row per combination.")
public final class SweepCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "SCENARIO", description = "A YAML file or builtin:NAME.")
    String scenario;

    @CommandLine.Option(names = "--vary", paramLabel = "KEY=V1,V2,...", required = true,
            description = "A dotted path as in run --set and the values to try. Repeatable: the cross product is run.")
    List<String> vary = new ArrayList<>();

    @CommandLine.Option(names = "--seeds", paramLabel = "N", description = "Seeds per combination: seed, seed+1, … (default 1).")
    int seeds = 1;

    @CommandLine.Option(names = "--threads", paramLabel = "N", description = "Runs at a time (default: the number of processors).")
    Integer threads;

    @CommandLine.Option(names = "--shard", paramLabel = "I/N",
            description = "Run only the combinations whose index modulo N is I-1 (merge the outputs with sweep-merge).")
    String shard;

    @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one field for every run. Repeatable.")
    List<String> sets = new ArrayList<>();

    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "The first seed (default: the scenario's).")
    Long seed;

    @CommandLine.Option(names = "--json", paramLabel = "FILE", description = "Write the table as JSON to FILE (- for standard output).")
    String json;

    @CommandLine.Option(names = "--csv", paramLabel = "FILE", description = "Write the table as CSV to FILE.")
    String csv;

    @CommandLine.Option(names = "--quiet", description = "Only errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        List<Sweep.Axis> axes = parseAxes(vary);
        if (seeds < 1) {
            throw new UserError("--seeds " + seeds + ": expected a positive number");
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) {
            throw new UserError("--threads " + nThreads + ": expected a positive number");
        }
        int[] sh = parseShard(shard);
        OutputFile jsonFile = json != null && !json.equals("-") ? OutputFile.check("--json", json) : null;
        OutputFile csvFile = csv != null ? OutputFile.check("--csv", csv) : null;

        List<String> base = new ArrayList<>(sets);
        if (seed != null) {
            base.add("seed=" + seed);
        }
        int total = Sweep.combinations(axes, seeds);
        String name = RunCommand.load(scenario, base).name(); // a bad file or --set fails here, located
        // every value alone, then every combination: all checked before the first run
        for (Sweep.Axis a : axes) {
            for (String v : a.values()) {
                List<String> s = new ArrayList<>(base);
                s.add(a.key() + "=" + v);
                try {
                    Runner.checkSupported(RunCommand.load(scenario, s));
                } catch (ScenarioException e) {
                    throw new UserError("--vary " + a.key() + "=" + String.join(",", a.values()) + ": value \"" + v
                            + "\": " + e.getMessage());
                }
            }
        }
        List<Integer> indices = new ArrayList<>();
        List<Scenario> planned = new ArrayList<>();
        Scenario combo = null;
        for (int i = 0; i < total; i++) {
            int offset = Sweep.seedOffset(seeds, i);
            boolean mine = sh == null || i % sh[1] == sh[0] - 1;
            if (offset == 0) {
                combo = null;
            }
            if (!mine) {
                continue;
            }
            List<String> s = comboSets(base, axes, i);
            if (combo == null) {
                combo = loadCombination(s, axes, i);
            }
            Scenario sc = combo;
            if (offset > 0) {
                s.add("seed=" + (combo.seed() + offset));
                sc = loadCombination(s, axes, i);
            }
            indices.add(i);
            planned.add(sc);
        }

        List<RunResult> results = runAll(planned, nThreads);
        List<Sweep.Row> rows = new ArrayList<>();
        for (int k = 0; k < planned.size(); k++) {
            int i = indices.get(k);
            rows.add(Sweep.Row.of(i, Sweep.valuesOf(axes, seeds, i), results.get(k)));
        }
        Sweep table = new Sweep(Runner.VERSION, name, axes, seeds, sh == null ? null : sh[0] + "/" + sh[1], rows);
        emit(table, spec.commandLine().getOut(), json, jsonFile, csvFile, quiet);
        return Main.EXIT_OK;
    }

    /** Writes the table where the options say. */
    static void emit(Sweep table, PrintWriter out, String json, OutputFile jsonFile, OutputFile csvFile,
                     boolean quiet) throws java.io.IOException {
        if (jsonFile != null) {
            jsonFile.write(table::writeJson);
        }
        if (csvFile != null) {
            csvFile.write(o -> {
                Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
                table.writeCsv(w);
                w.flush();
            });
        }
        if ("-".equals(json)) {
            out.flush();
            Writer w = new OutputStreamWriter(new NonClosing(System.out), StandardCharsets.UTF_8);
            table.writeJson(w);
        } else if (!quiet) {
            table.writeTable(out);
        }
    }

    private List<String> comboSets(List<String> base, List<Sweep.Axis> axes, int index) {
        List<String> s = new ArrayList<>(base);
        List<String> values = Sweep.valuesOf(axes, seeds, index);
        for (int k = 0; k < axes.size(); k++) {
            s.add(axes.get(k).key() + "=" + values.get(k));
        }
        return s;
    }

    private Scenario loadCombination(List<String> s, List<Sweep.Axis> axes, int index) {
        try {
            Scenario sc = RunCommand.load(scenario, s);
            Runner.checkSupported(sc);
            return sc;
        } catch (ScenarioException e) {
            List<String> values = Sweep.valuesOf(axes, seeds, index);
            StringBuilder b = new StringBuilder("--vary combination " + index + " (");
            for (int k = 0; k < axes.size(); k++) {
                b.append(k > 0 ? ", " : "").append(axes.get(k).key()).append('=').append(values.get(k));
            }
            throw new UserError(b.append("): ").append(e.getMessage()).toString());
        }
    }

    /** Runs every scenario on its own simulation, {@code nThreads} at a time; results in input order. */
    static List<RunResult> runAll(List<Scenario> planned, int nThreads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(nThreads, planned.size())), r -> {
            Thread t = new Thread(r, "svclab-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (Scenario sc : planned) {
                futures.add(pool.submit(() -> new Runner(sc, Trace.NONE).run(System.nanoTime(), System::nanoTime)));
            }
            List<RunResult> out = new ArrayList<>();
            for (Future<RunResult> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Parses the {@code --vary} options; duplicate keys and empty values are errors. */
    static List<Sweep.Axis> parseAxes(List<String> vary) {
        List<Sweep.Axis> axes = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String v : vary) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--vary " + v + ": expected KEY=V1,V2,…");
            }
            String key = v.substring(0, eq).trim();
            if (!keys.add(key)) {
                throw new UserError("--vary " + v + ": key " + key + " is varied twice");
            }
            List<String> values = new ArrayList<>();
            for (String x : v.substring(eq + 1).split(",", -1)) {
                String t = x.trim();
                if (t.isEmpty()) {
                    throw new UserError("--vary " + v + ": empty value");
                }
                if (values.contains(t)) {
                    throw new UserError("--vary " + v + ": value " + t + " given twice");
                }
                values.add(t);
            }
            axes.add(new Sweep.Axis(key, List.copyOf(values)));
        }
        return axes;
    }

    /** {@code I/N} with 1 ≤ I ≤ N, or null. */
    static int[] parseShard(String shard) {
        if (shard == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})/(\\d{1,9})").matcher(shard.trim());
        if (!m.matches()) {
            throw new UserError("--shard " + shard + ": expected I/N, e.g. 1/4");
        }
        int i = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || i < 1 || i > n) {
            throw new UserError("--shard " + shard + ": expected 1 <= I <= N");
        }
        return new int[] {i, n};
    }

    /** Lets the JSON writer close its stream without closing standard output. */
    static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
