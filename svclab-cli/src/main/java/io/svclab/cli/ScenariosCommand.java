package io.svclab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** {@code svclab scenarios [show NAME]}. */
@Command(name = "scenarios", description = "List the built-in scenarios; `scenarios show NAME` prints one.")
public final class ScenariosCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(arity = "0..2", paramLabel = "show NAME", description = "show NAME: print its YAML")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (args.isEmpty()) {
            for (Map.Entry<String, String> e : BuiltinScenarios.list().entrySet()) {
                out.printf(Locale.ROOT, "%-20s %s%n", e.getKey(), e.getValue());
            }
        } else if (args.size() == 2 && args.get(0).equals("show")) {
            out.print(BuiltinScenarios.yaml(args.get(1)));
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(), "usage: svclab scenarios [show NAME]");
        }
        out.flush();
    }
}
