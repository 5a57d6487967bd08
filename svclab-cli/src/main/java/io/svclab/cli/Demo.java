package io.svclab.cli;

import io.svclab.run.Results;
import io.svclab.run.RunResult;

import java.util.List;
import java.util.Locale;

/**
 * The configurations {@code svclab demo} compares (contract §5) and the table and reading it
 * prints. Pure formatting of {@link RunResult}s, so it is tested on hand-made results.
 */
public final class Demo {

    /** The built-in scenario the demo runs. */
    public static final String SCENARIO = "builtin:seed-incident";

    /** The four configurations, as {@code --set} overrides of {@link #SCENARIO}, in the contract's order. */
    public static final List<Config> CONFIGS = List.of(
            new Config("IPVS  4.19  conn_reuse_mode=0",
                    List.of("proxy.mode=ipvs", "kernel=4.19", "sysctl.net.ipv4.vs.conn_reuse_mode=0")),
            new Config("IPVS  4.19  conn_reuse_mode=1",
                    List.of("proxy.mode=ipvs", "kernel=4.19", "sysctl.net.ipv4.vs.conn_reuse_mode=1")),
            new Config("IPVS  5.10  conn_reuse_mode=1",
                    List.of("proxy.mode=ipvs", "kernel=5.10", "sysctl.net.ipv4.vs.conn_reuse_mode=1")),
            new Config("iptables  4.19",
                    List.of("proxy.mode=iptables", "kernel=4.19")));

    private Demo() {
    }

    /**
     * One configuration of the comparison.
     *
     * @param label the row's name in the table
     * @param sets the overrides, as {@code svclab run --set} takes them
     */
    public record Config(String label, List<String> sets) {
    }

    /** One row of the table: a configuration's totals. */
    public record Row(String label, long attempted, long failed, long delayed, double p99Ms, double maxMs) {

        /** The row of a configuration's result. */
        public static Row of(String label, RunResult r) {
            Results.Connections c = r.connections();
            return new Row(label, c.attempted(), c.failed(), c.delayed(), c.connectMs().p99(), c.connectMs().max());
        }
    }

    /** The table: a header line and one line per row, each ending with a newline. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-30s %10s %8s %8s %14s %12s%n", "CONFIGURATION", "ATTEMPTED", "FAILED",
                "DELAYED", "CONNECT p99 ms", "MAX ms"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-30s %10d %8d %8d %14.1f %12.1f%n", r.label(), r.attempted(),
                    r.failed(), r.delayed(), r.p99Ms(), r.maxMs()));
        }
        return b.toString();
    }

    /**
     * A one-paragraph reading of the four rows in {@link #CONFIGS}' order, stating what the numbers
     * show rather than what they should show.
     */
    public static String reading(List<Row> rows) {
        if (rows.size() != CONFIGS.size()) {
            throw new IllegalArgumentException("expected " + CONFIGS.size() + " rows, got " + rows.size());
        }
        Row r0 = rows.get(0);
        Row r1 = rows.get(1);
        Row r2 = rows.get(2);
        Row r3 = rows.get(3);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "During the rollout, IPVS on 4.19 with conn_reuse_mode=0 %s",
                r0.failed() > 0 ? String.format(Locale.ROOT, "failed %d of %d connections (%s): new SYNs from reused"
                        + " client ports followed IPVS entries still in TIME_WAIT to old pods", r0.failed(),
                        r0.attempted(), percent(r0.failed(), r0.attempted()))
                        : String.format(Locale.ROOT, "failed none of %d connections", r0.attempted())));
        b.append(String.format(Locale.ROOT, ". With conn_reuse_mode=1 the same kernel %s",
                r1.delayed() > 0 ? String.format(Locale.ROOT, "delayed %d connections (p99 %.1f ms, max %.1f ms):"
                        + " it drops the SYN that hits an old entry and the client's retransmission a second later"
                        + " gets through", r1.delayed(), r1.p99Ms(), r1.maxMs())
                        : String.format(Locale.ROOT, "delayed none (max %.1f ms)", r1.maxMs())));
        if (r1.failed() > 0) {
            b.append(String.format(Locale.ROOT, ", and %d still failed", r1.failed()));
        }
        b.append(String.format(Locale.ROOT, ". Kernel 5.10 with conn_reuse_mode=1 had %s",
                clean(r2)));
        b.append(String.format(Locale.ROOT, ", and iptables mode had %s, because conntrack runs NAT afresh on a"
                + " reused TIME_WAIT tuple.", clean(r3)));
        return b.toString();
    }

    private static String clean(Row r) {
        if (r.failed() == 0 && r.delayed() == 0) {
            return String.format(Locale.ROOT, "no failed or delayed connection (max %.1f ms)", r.maxMs());
        }
        return String.format(Locale.ROOT, "%d failed and %d delayed connections (max %.1f ms)", r.failed(),
                r.delayed(), r.maxMs());
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }
}
