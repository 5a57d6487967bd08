package io.svclab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code svclab sweep-merge FILES… [--json FILE] [--csv FILE]}: joins the JSON outputs of the
 * shards of one sweep ({@code sweep --shard I/N --json …}) into the table the unsharded sweep
 * prints, rows sorted by index. The files must describe the same sweep (scenario, varied values,
 * seeds), no combination may appear twice, and together they must cover every combination.
 */
@Command(name = "sweep-merge", description = "Merge the JSON outputs of sweep --shard runs into the whole table.")
public final class SweepMergeCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "Shard outputs (sweep --json).")
    List<String> files = new ArrayList<>();

    @CommandLine.Option(names = "--json", paramLabel = "FILE", description = "Write the merged table as JSON (- for standard output).")
    String json;

    @CommandLine.Option(names = "--csv", paramLabel = "FILE", description = "Write the merged table as CSV.")
    String csv;

    @CommandLine.Option(names = "--quiet", description = "Only errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        OutputFile jsonFile = json != null && !json.equals("-") ? OutputFile.check("--json", json) : null;
        OutputFile csvFile = csv != null ? OutputFile.check("--csv", csv) : null;
        Sweep first = null;
        String firstFile = null;
        Map<Integer, Sweep.Row> rows = new TreeMap<>();
        for (String f : files) {
            Sweep s;
            try (InputStream in = Files.newInputStream(Path.of(f))) {
                s = Sweep.read(f, in);
            } catch (NoSuchFileException e) {
                throw new UserError(f + ": no such file");
            } catch (IOException e) {
                throw new UserError(f + ": " + e.getMessage());
            }
            if (first == null) {
                first = s;
                firstFile = f;
            } else if (!first.scenario.equals(s.scenario) || !first.axes.equals(s.axes) || first.seeds != s.seeds
                    || !first.svclab.equals(s.svclab)) {
                throw new UserError(f + ": not a shard of the same sweep as " + firstFile
                        + " (scenario, svclab version, --vary values or --seeds differ)");
            }
            for (Sweep.Row r : s.rows) {
                if (rows.putIfAbsent(r.index(), r) != null) {
                    throw new UserError(f + ": combination " + r.index() + " is also in an earlier file");
                }
            }
        }
        int total = first.combinations();
        if (rows.size() != total) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < total && missing.size() < 10; i++) {
                if (!rows.containsKey(i)) {
                    missing.add(i);
                }
            }
            throw new UserError("sweep-merge: " + (total - rows.size()) + " of " + total
                    + " combinations are in none of the files (first missing: " + missing + ")");
        }
        Sweep merged = new Sweep(first.svclab, first.scenario, first.axes, first.seeds, null,
                new ArrayList<>(rows.values()));
        SweepCommand.emit(merged, spec.commandLine().getOut(), json, jsonFile, csvFile, quiet);
        return Main.EXIT_OK;
    }
}
