package io.svclab.cli;

import io.svclab.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code svclab} command. Exit codes: 0 the command completed, 2 bad usage or bad input (the
 * message names the file, line, column and field), 1 an internal error.
 */
@Command(name = "svclab", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Deterministic packet-level simulator of the Linux Kubernetes Service datapath.",
        subcommands = {DemoCommand.class, DiagnoseCommand.class, RunCommand.class, ScenariosCommand.class,
                SweepCommand.class, SweepMergeCommand.class, BenchCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A configured command line whose streams are {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof ScenarioException) {
                cmd.getErr().println(ex.getMessage());
                cmd.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof UserError) {
                cmd.getErr().println("svclab: " + ex.getMessage());
                cmd.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("svclab: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            return EXIT_INTERNAL;
        });
        return cl;
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        int rc = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(out, err, args));
    }
}
