package io.svclab.cli;

import io.svclab.net.trace.Trace;
import io.svclab.run.ExplainCollector;
import io.svclab.run.RunResult;
import io.svclab.run.Runner;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * {@code svclab demo}: the incident of the README side by side in the four configurations of
 * {@link Demo#CONFIGS}: one row each, a one-paragraph reading and where the HTML report is. When
 * this build refuses the scenario (a model it needs is missing) the command prints one line that
 * says which and exits 1 rather than print a table it cannot compute.
 */
@Command(name = "demo", description = "Run the rolling-update incident side by side (IPVS 4.19 reuse 0/1, IPVS 5.10, iptables).")
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    /** The report file {@code demo} writes in the current folder (contract §5). */
    static final String REPORT = "svclab-demo.html";

    /** Where the report goes; replaced in tests. */
    java.nio.file.Path reportPath = java.nio.file.Path.of(REPORT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Refuses a configuration this build cannot run (throws {@link ScenarioException}); replaced in tests. */
    java.util.function.Consumer<Scenario> check = Runner::checkSupported;

    /** Connections explained per configuration in the report (the first failed or delayed ones). */
    static final int EXPLAINED = 3;

    /** Runs one checked configuration (called from several threads at once); replaced in tests by a stand-in that returns fixed results. */
    Function<Scenario, RunResult> runner = s -> new Runner(s, new ExplainCollector(EXPLAINED, Trace.NONE))
            .run(System.nanoTime(), System::nanoTime);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Scenario> scenarios = new ArrayList<>();
        try {
            for (Demo.Config c : Demo.CONFIGS) {
                Scenario s = RunCommand.load(Demo.SCENARIO, c.sets());
                check.accept(s);
                scenarios.add(s);
            }
        } catch (ScenarioException e) {
            err.println("svclab demo: this build cannot run " + Demo.SCENARIO + ": "
                    + e.problems().get(0).field() + ": " + e.problems().get(0).message());
            err.flush();
            return Main.EXIT_INTERNAL;
        }
        List<Demo.Row> rows = new ArrayList<>();
        List<io.svclab.report.HtmlReport.Section> sections = new ArrayList<>();
        // the configurations are independent worlds: run them side by side, print them in order
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(scenarios.size(),
                Math.max(1, Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<RunResult>> runs = new ArrayList<>();
            for (Scenario s : scenarios) {
                runs.add(pool.submit(() -> runner.apply(s)));
            }
            for (int i = 0; i < runs.size(); i++) {
                RunResult r = get(runs.get(i));
                rows.add(Demo.Row.of(Demo.CONFIGS.get(i).label(), r));
                sections.add(new io.svclab.report.HtmlReport.Section(Demo.CONFIGS.get(i).label(), r));
            }
        } finally {
            pool.shutdownNow();
        }
        out.print(Demo.table(rows));
        out.println();
        out.println(Demo.reading(rows));
        out.println();
        java.nio.file.Path path = reportPath.toAbsolutePath();
        try {
            OutputFile.check("report", path.toString()).write(o -> io.svclab.report.HtmlReport.write(sections,
                    "svclab demo: short connections through a ClusterIP during a rolling update", o));
            out.println("report: " + path);
        } catch (java.io.IOException e) {
            err.println("svclab demo: cannot write " + path + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_INTERNAL;
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static RunResult get(Future<RunResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("svclab demo interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IllegalStateException(c);
        }
    }
}
