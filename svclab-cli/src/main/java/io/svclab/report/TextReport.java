package io.svclab.report;

import io.svclab.net.Ip4;
import io.svclab.run.RunResult;
import io.svclab.run.StepResult;
import io.svclab.k8s.Pod;

import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable summary of a run. */
public final class TextReport {

    private TextReport() {
    }

    public static void write(RunResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "scenario %s  seed %d  kernel %s  proxy %s%n", r.scenario(), r.seed(), r.kernel(),
                r.proxyMode());
        out.printf(Locale.ROOT, "simulated %.3f s in %.3f s wall: %d link packets, %d events%n",
                r.simulatedSeconds(), r.wallSeconds(), r.packets(), r.events());
        out.println();
        out.printf(Locale.ROOT, "%-24s %-15s %s%n", "POD", "IP", "NODE");
        for (Pod p : r.pods()) {
            out.printf(Locale.ROOT, "%-24s %-15s node-%d%s%n", p.name(), Ip4.format(p.ip()), p.node(),
                    p.client() ? "  (client)" : "");
        }
        if (!r.steps().isEmpty()) {
            out.println();
            for (StepResult s : r.steps()) {
                out.printf(Locale.ROOT, "step %d %-9s at %.3f s  %s%n", s.index(), s.type(), s.atNs() / 1e9, s.detail());
            }
        }
        for (String n : r.notModelled()) {
            out.println();
            out.println("not modelled in this build: " + n);
        }
        out.flush();
    }
}
