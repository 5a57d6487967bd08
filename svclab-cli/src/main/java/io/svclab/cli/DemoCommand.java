package io.svclab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code svclab demo}: the incident of the README side by side in four configurations. The
 * comparison needs the TCP, conntrack, IPVS and kube-proxy models; until they are in the build
 * the command says so and exits 1 rather than print a table it cannot compute.
 */
@Command(name = "demo", description = "Run the rolling-update incident side by side (IPVS 4.19 reuse 0/1, IPVS 5.10, iptables).")
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("svclab demo: the incident comparison needs the TCP endpoint, conntrack,"
                + " IPVS and kube-proxy models, which this build does not have yet. This build simulates the network"
                + " layer only: try `svclab run builtin:minimal` and `svclab version`.");
        spec.commandLine().getErr().flush();
        return Main.EXIT_INTERNAL;
    }
}
