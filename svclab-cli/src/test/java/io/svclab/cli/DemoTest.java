package io.svclab.cli;

import io.svclab.k8s.Pod;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.run.Results;
import io.svclab.run.RunResult;
import io.svclab.scenario.Scenario;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {

    private static final long MS = 1_000_000L;

    private static final List<Demo.Row> ROWS = List.of(
            new Demo.Row("IPVS  4.19  conn_reuse_mode=0", 36000, 412, 0, 0.3, 3000.4),
            new Demo.Row("IPVS  4.19  conn_reuse_mode=1", 36000, 0, 388, 1000.6, 1001.1),
            new Demo.Row("IPVS  5.10  conn_reuse_mode=1", 36000, 0, 0, 0.3, 0.6),
            new Demo.Row("iptables  4.19", 36000, 0, 0, 0.3, 0.5));

    @Test
    void fourConfigurationsInTheContractsOrder() {
        assertThat(Demo.CONFIGS).extracting(Demo.Config::label).containsExactly("IPVS  4.19  conn_reuse_mode=0",
                "IPVS  4.19  conn_reuse_mode=1", "IPVS  5.10  conn_reuse_mode=1", "iptables  4.19");
        assertThat(Demo.CONFIGS.get(3).sets()).contains("proxy.mode=iptables");
    }

    @Test
    void everyConfigurationLoads() {
        for (Demo.Config c : Demo.CONFIGS) {
            Scenario s = RunCommand.load(Demo.SCENARIO, c.sets());
            assertThat(s.clients().get(0).connectionsPerSecond()).isEqualTo(300.0);
            assertThat(s.durationNs()).isEqualTo(120_000 * MS);
            assertThat(s.events()).hasSize(1);
        }
    }

    @Test
    void tableHasAHeaderAndOneRowEach() {
        String t = Demo.table(ROWS);
        assertThat(t.split("\n")).hasSize(5);
        assertThat(t).startsWith("CONFIGURATION");
        assertThat(t.split("\n")[1]).isEqualTo(
                "IPVS  4.19  conn_reuse_mode=0       36000      412        0            0.3       3000.4");
        assertThat(t.split("\n")[2]).contains("1000.6", "388");
    }

    @Test
    void readingStatesTheNumbers() {
        String r = Demo.reading(ROWS);
        assertThat(r).contains("failed 412 of 36000 connections (1.14%)", "delayed 388 connections (p99 1000.6 ms",
                "Kernel 5.10 with conn_reuse_mode=1 had no failed or delayed connection",
                "iptables mode had no failed or delayed connection");
        assertThat(r).doesNotContain("\n");
    }

    @Test
    void readingDoesNotClaimWhatDidNotHappen() {
        List<Demo.Row> flat = new ArrayList<>();
        for (Demo.Row row : ROWS) {
            flat.add(new Demo.Row(row.label(), 100, 0, 0, 0.3, 0.5));
        }
        String r = Demo.reading(flat);
        assertThat(r).contains("failed none of 100 connections", "delayed none");
    }

    private static RunResult fake(int failed) {
        List<Pod> pods = List.of();
        Results r = new Results(1000 * MS);
        for (int i = 0; i < 10; i++) {
            r.add(new ConnectionRecord("c", i < failed ? ConnectResult.APP_TIMEOUT : ConnectResult.OK, 0, 200_000,
                    MS, 0, 40000 + i, 1, 80, i), null);
        }
        return new RunResult("0.1.0", "seed-incident", 1, "4.19", "ipvs", List.of(), 1, 0, 0, 0, pods, List.of(),
                List.of(), List.of(), r.connections(), r.backends(pods), r.timeline(pods));
    }

    private record Outcome(int rc, String out, String err) {
    }

    private static Outcome demo(DemoCommand cmd) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute();
        return new Outcome(rc, out.toString(), err.toString());
    }

    @Test
    void commandPrintsTheTableTheReadingAndTheReportLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        DemoCommand cmd = new DemoCommand();
        cmd.reportPath = dir.resolve("svclab-demo.html");
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        cmd.check = s -> { };
        cmd.runner = s -> {
            n.incrementAndGet();
            return fake(s.proxy().mode().yamlName().equals("ipvs") && s.kernel().equals("4.19")
                    && s.sysctl().get(io.svclab.kernel.Sysctl.NET_IPV4_VS_CONN_REUSE_MODE) == 0L ? 3 : 0);
        };
        Outcome o = demo(cmd);
        assertThat(o.rc()).isEqualTo(0);
        assertThat(o.out()).contains("CONFIGURATION", "IPVS  5.10  conn_reuse_mode=1", "failed 3 of 10 connections",
                "report: " + dir.resolve("svclab-demo.html"));
        String html = java.nio.file.Files.readString(dir.resolve("svclab-demo.html"));
        // self-contained: uPlot inlined, one section per configuration, no external reference
        assertThat(html).contains("uPlot", "<h2>IPVS  4.19  conn_reuse_mode=0</h2>", "<h2>iptables  4.19</h2>")
                .doesNotContain("src=\"http", "href=\"http");
        assertThat(o.err()).isEmpty();
        assertThat(n.get()).isEqualTo(4);
    }

    @Test
    void refusedScenarioGivesOneLineAndExit1() {
        DemoCommand cmd = new DemoCommand();
        cmd.check = s -> {
            throw new io.svclab.scenario.ScenarioException(List.of(new io.svclab.scenario.Problem("x", 1, 1,
                    "proxy.mode", "ipvs mode needs the kube-proxy IPVS proxier")));
        };
        Outcome o = demo(cmd);
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.out()).isEmpty();
        assertThat(o.err().strip()).isEqualTo("svclab demo: this build cannot run builtin:seed-incident: proxy.mode:"
                + " ipvs mode needs the kube-proxy IPVS proxier");
    }

    @Test
    void thisBuildRefusesTheDemoInOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), "demo");
        if (rc != 0) {
            assertThat(rc).isEqualTo(1);
            assertThat(err.toString().strip()).startsWith("svclab demo: this build cannot run builtin:seed-incident:")
                    .doesNotContain("\n");
        } else {
            assertThat(out.toString()).contains("CONFIGURATION");
        }
    }
}
