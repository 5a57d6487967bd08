package io.svclab.cli;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.KernelProfiles;
import io.svclab.run.Runner;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Locale;

/** {@code svclab version}: the version, the kernel profiles and their switches. */
@Command(name = "version", description = "Print the version and the kernel profiles it models.")
public final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--features", description = "Also describe every kernel switch.")
    boolean features;

    /** {@code svclab --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"svclab " + Runner.VERSION};
        }
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("svclab " + Runner.VERSION);
        out.println();
        out.println("Kernel profiles (kernel: in a scenario; any X.Y or X.Y.Z from 4.0 on resolves too):");
        KernelFeature[] all = KernelFeature.values();
        out.printf(Locale.ROOT, "  %-6s %-48s %s%n", "KERNEL", "WHAT", "SWITCHES");
        for (String name : KernelProfiles.NAMED) {
            KernelProfile p = KernelProfiles.get(name);
            StringBuilder sw = new StringBuilder();
            for (KernelFeature f : all) {
                if (p.has(f)) {
                    sw.append(sw.length() == 0 ? "" : " ").append(f.key());
                }
            }
            out.printf(Locale.ROOT, "  %-6s %-48s %s%n", name, p.description(), sw.length() == 0 ? "-" : sw);
        }
        out.println();
        if (features) {
            out.println("Kernel switches:");
            for (KernelFeature f : all) {
                out.printf(Locale.ROOT, "  %-38s %s %s (mainline %s%s)%n      %s%n", f.key(), "commit", f.commit(),
                        f.mainline(), f.stableBackports().isEmpty() ? "" : "; stable " + f.stableBackports(),
                        f.summary());
            }
        } else {
            out.println("svclab version --features describes each switch and the upstream change behind it.");
        }
        out.flush();
    }
}
