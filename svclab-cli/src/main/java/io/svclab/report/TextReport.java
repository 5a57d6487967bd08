package io.svclab.report;

import io.svclab.net.Ip4;
import io.svclab.run.Results;
import io.svclab.run.RunResult;
import io.svclab.run.StepResult;
import io.svclab.k8s.Pod;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable summary of a run: pods with their accepted and failed connections, the
 * connection totals, connect-time percentiles and a per-second table of the seconds that had
 * connections.
 */
public final class TextReport {

    private TextReport() {
    }

    /**
     * The explanations ({@code --explain}, contract §4.3): one block per connection, its 5-tuple
     * and outcome, one line per decision ({@code 12.345678 s  where  what}, then the entry that
     * decided it indented below, as the real tool prints it) and the summary paragraph.
     */
    public static void writeExplanations(List<io.svclab.run.Explanation> explanations, PrintWriter out) {
        if (explanations.isEmpty()) {
            out.println("explanations: no failed or delayed connection");
        }
        int i = 0;
        for (io.svclab.run.Explanation x : explanations) {
            i++;
            out.printf(Locale.ROOT, "explanation %d: %s %s -> %s: %s (%d SYN retransmission%s, %.6f s .. %.6f s%s)%n",
                    i, x.protocol(), x.client(), x.service(), x.result(), x.synRetransmissions(),
                    x.synRetransmissions() == 1 ? "" : "s", x.startSeconds(), x.endSeconds(),
                    x.backend() == null ? "" : ", accepted by " + x.backend());
            for (io.svclab.run.Explanation.Decision d : x.chain()) {
                out.printf(Locale.ROOT, "  %12.6f s  %-14s %s%n", d.seconds(), d.where(), d.what());
                if (d.entry() != null) {
                    for (String line : d.entry().split("\n")) {
                        out.printf(Locale.ROOT, "  %14s  %-14s   %s%n", "", "", line);
                    }
                }
            }
            out.println("  summary: " + x.summary());
            out.println();
        }
        out.flush();
    }

    public static void write(RunResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "scenario %s  seed %d  kernel %s  proxy %s%n", r.scenario(), r.seed(), r.kernel(),
                r.proxyMode());
        out.printf(Locale.ROOT, "simulated %.3f s in %.3f s wall: %d link packets, %d events%n",
                r.simulatedSeconds(), r.wallSeconds(), r.packets(), r.events());
        out.println();
        out.printf(Locale.ROOT, "%-24s %-15s %-8s %11s %8s%n", "POD", "IP", "NODE", "CONNECTIONS", "FAILED");
        for (Pod p : r.pods()) {
            Results.Backend b = backend(r, p.name());
            if (b == null) {
                out.printf(Locale.ROOT, "%-24s %-15s node-%-3d %11s %8s%s%n", p.name(), Ip4.format(p.ip()), p.node(),
                        "-", "-", p.client() ? "  (client)" : "");
            } else {
                out.printf(Locale.ROOT, "%-24s %-15s node-%-3d %11d %8d%n", p.name(), Ip4.format(p.ip()), p.node(),
                        b.connections(), b.failed());
            }
        }
        Results.Connections c = r.connections();
        if (c != null && (c.attempted() > 0 || c.inFlight() > 0)) {
            out.println();
            out.printf(Locale.ROOT, "connections: %d attempted, %d succeeded, %d failed, %d delayed, %d in flight at"
                    + " the end%n", c.attempted(), c.succeeded(), c.failed(), c.delayed(), c.inFlight());
            StringBuilder errs = new StringBuilder();
            for (Map.Entry<String, Long> e : c.errors().entrySet()) {
                if (e.getValue() > 0) {
                    errs.append(errs.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
                }
            }
            out.println("errors: " + (errs.length() == 0 ? "none" : errs));
            Results.ConnectMs ms = c.connectMs();
            out.printf(Locale.ROOT, "connect ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", ms.p50(),
                    ms.p90(), ms.p99(), ms.p999(), ms.max());
            StringBuilder rtx = new StringBuilder();
            for (Map.Entry<Integer, Long> e : c.synRetransmissions().entrySet()) {
                rtx.append(rtx.length() == 0 ? "" : "  ").append(e.getKey()).append(": ").append(e.getValue());
            }
            out.println("SYN retransmissions: " + rtx);
            Results.Requests q = r.requests();
            if (q != null && q.attempted() + q.inFlight() > c.attempted() + c.inFlight()) {
                // several requests per connection (pooled): the requests as the application saw them
                StringBuilder qe = new StringBuilder();
                for (Map.Entry<String, Long> e : q.errors().entrySet()) {
                    if (e.getValue() > 0) {
                        qe.append(qe.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
                    }
                }
                out.printf(Locale.ROOT, "requests: %d attempted, %d succeeded, %d failed (%s), %d in flight at the end%n",
                        q.attempted(), q.succeeded(), q.failed(), qe.length() == 0 ? "no errors" : qe, q.inFlight());
                Results.ConnectMs lat = q.latencyMs();
                out.printf(Locale.ROOT, "request ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", lat.p50(),
                        lat.p90(), lat.p99(), lat.p999(), lat.max());
            }
            out.println();
            timeline(r.timeline(), out);
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

    /** At most {@link #TIMELINE_ROWS} rows: seconds are grouped into equal spans when the run is longer. */
    static final int TIMELINE_ROWS = 20;

    private static void timeline(List<Results.Second> seconds, PrintWriter out) {
        int span = Math.max(1, (seconds.size() + TIMELINE_ROWS - 1) / TIMELINE_ROWS);
        out.printf(Locale.ROOT, "%-9s %9s %7s %7s  %s%n", span == 1 ? "SECOND" : "SECONDS", "ATTEMPTED", "FAILED",
                "DELAYED", "BACKENDS");
        for (int from = 0; from < seconds.size(); from += span) {
            int to = Math.min(seconds.size(), from + span);
            long attempted = 0;
            long failed = 0;
            long delayed = 0;
            Map<String, Long> backends = new LinkedHashMap<>();
            for (Results.Second s : seconds.subList(from, to)) {
                attempted += s.attempted();
                failed += s.failed();
                delayed += s.delayed();
                for (Map.Entry<String, Long> e : s.backends().entrySet()) {
                    backends.merge(e.getKey(), e.getValue(), Long::sum);
                }
            }
            if (attempted == 0) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, Long> e : backends.entrySet()) {
                b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
            }
            String label = span == 1 ? Integer.toString(from) : from + "-" + (to - 1);
            out.printf(Locale.ROOT, "%-9s %9d %7d %7d  %s%n", label, attempted, failed, delayed, b);
        }
    }

    private static Results.Backend backend(RunResult r, String pod) {
        if (r.backends() == null) {
            return null;
        }
        for (Results.Backend b : r.backends()) {
            if (b.pod().equals(pod)) {
                return b;
            }
        }
        return null;
    }
}
