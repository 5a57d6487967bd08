package io.svclab.report;

import io.svclab.cli.BuiltinScenarios;
import io.svclab.net.trace.Trace;
import io.svclab.run.Explanation;
import io.svclab.run.RunResult;
import io.svclab.run.Runner;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report: its sections and the rendering of explanations as text, then the whole file
 * opened in headless Chromium (offline, from a file:// URL): the charts draw (uPlot's canvas
 * elements are in the rendered DOM) and the page raises no JavaScript error.
 */
class HtmlReportTest {

    private static final Path OUT = Path.of("target", "html-report-test");

    /** Two configurations of the incident, cut to 40 s (the rollout starts at 30 s). */
    private static RunResult ipvs;
    private static RunResult iptables;

    static final Explanation EXPLAINED = new Explanation("10.244.1.12:41230", "10.96.0.10:80", "TCP", "ETIMEDOUT",
            null, 31.25, 158.25, 6,
            List.of(new Explanation.Decision(31.25, "node-1", "IPVS reused the TIME_WAIT connection entry of this "
                            + "client port (conn_reuse_mode=0) and kept its real server",
                            "TCP 00:59 TIME_WAIT 10.244.1.12:41230 10.96.0.10:80 10.244.2.7:8080"),
                    new Explanation.Decision(31.25, "node-1", "the real server has weight 0 & its pod is deleted",
                            "-> 10.244.2.7:8080 Masq 0 0 14"),
                    new Explanation.Decision(32.25, "client-0", "SYN unanswered, retransmitted", null)),
            "The <old> pod's address is still reached because IPVS kept the connection entry.");

    @BeforeAll
    static void run() {
        ipvs = incident(List.of("duration=40s"));
        iptables = incident(List.of("duration=40s", "proxy.mode=iptables"));
    }

    private static RunResult incident(List<String> sets) {
        return new Runner(ScenarioLoader.loadText("builtin:seed-incident", BuiltinScenarios.yaml("seed-incident"), sets),
                Trace.NONE).run(0, () -> 0);
    }

    private static RunResult withExplanations(RunResult r, List<Explanation> e) {
        return new RunResult(r.version(), r.scenario(), r.seed(), r.kernel(), r.proxyMode(), r.sysctl(),
                r.simulatedSeconds(), r.wallSeconds(), r.packets(), r.events(), r.pods(), r.steps(), r.dumps(),
                r.notModelled(), r.connections(), r.backends(), r.timeline(), r.podEvents(), e);
    }

    private static String html(List<HtmlReport.Section> sections) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlReport.write(sections, "svclab test report", out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void explanationRendersItsOutcomeSummaryAndEveryDecisionEscaped() {
        String h = HtmlReport.explanations(List.of(EXPLAINED));
        assertThat(h).contains("<b>1. TCP 10.244.1.12:41230 → 10.96.0.10:80</b>: <span class=\"bad\">ETIMEDOUT</span>"
                + " — from 31.250 s to 158.250 s, 6 SYN retransmissions</p>");
        assertThat(h).contains("<p class=\"summary\">The &lt;old&gt; pod's address is still reached because IPVS kept"
                + " the connection entry.</p>");
        assertThat(h).contains("<tr><td class=\"n\">31.250000</td><td>node-1</td><td>IPVS reused the TIME_WAIT "
                + "connection entry of this client port (conn_reuse_mode=0) and kept its real server</td>"
                + "<td><code>TCP 00:59 TIME_WAIT 10.244.1.12:41230 10.96.0.10:80 10.244.2.7:8080</code></td></tr>");
        assertThat(h).contains("<td>the real server has weight 0 &amp; its pod is deleted</td>"
                + "<td><code>-&gt; 10.244.2.7:8080 Masq 0 0 14</code></td>");
        assertThat(h).contains("<tr><td class=\"n\">32.250000</td><td>client-0</td><td>SYN unanswered, "
                + "retransmitted</td><td></td></tr>");
        assertThat(HtmlReport.explanations(List.of())).isEmpty();
    }

    @Test
    void aDelayedConnectionIsShownAsDelayedWithItsBackend() {
        Explanation late = new Explanation("10.244.1.12:41231", "10.96.0.10:80", "TCP", "OK", "10.244.2.9:8080",
                31.0, 32.0005, 1, List.of(), "");
        assertThat(HtmlReport.explanations(List.of(late))).contains("<span class=\"warn\">delayed</span> — from 31.000 s"
                + " to 32.001 s, 1 SYN retransmission, backend 10.244.2.9:8080</p>").doesNotContain("summary");
    }

    @Test
    void severalConfigurationsGetAComparisonAndOneSectionEachWithNoExternalResource() throws IOException {
        String h = html(List.of(new HtmlReport.Section("IPVS 4.19", ipvs), new HtmlReport.Section("iptables", iptables)));
        assertThat(h).contains("<table class=\"compare\">", "<a href=\"#run-0\">IPVS 4.19</a>",
                "<a href=\"#run-1\">iptables</a>", "<section id=\"run-0\">", "<section id=\"run-1\">",
                "id=\"timeline-1\"", "id=\"pods-1\"", "id=\"connect-1\"", "id=\"backends-1\"");
        assertThat(h).doesNotContainPattern("(?i)<(script|link|img)[^>]+(src|href)\\s*=");
        assertThat(h).doesNotContain("Why the first failed"); // no explanations recorded
    }

    // ------------------------------------------------------------------ the real browser

    /** Records uncaught errors, failed resource loads and console.error calls into the page itself. */
    private static final String HOOK = "<script>(function(){function rec(m){var d=document.getElementById('js-errors');"
            + "if(!d){d=document.createElement('pre');d.id='js-errors';document.documentElement.appendChild(d);}"
            + "d.textContent+=m+'\\n';}var oe=console.error;console.error=function(){rec('console.error: '+"
            + "Array.prototype.join.call(arguments,' '));return oe.apply(console,arguments);};"
            + "window.addEventListener('error',function(e){var t=e&&e.target;if(t&&t!==window&&(t.src||t.href)){"
            + "rec('resource: '+(t.src||t.href));}else{rec('uncaught: '+(e&&e.message));}},true);"
            + "window.addEventListener('unhandledrejection',function(e){rec('rejection: '+e.reason);});})();</script>";

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    record Browser(String dom, String log) {
    }

    private static Browser open(Path html, String name, String... extra) throws Exception {
        String chrome = chromium();
        if (chrome == null) {
            if (System.getenv("CI") != null) {
                fail("CI is set and no chromium is installed (.ci/run installs Debian's chromium)");
            }
            assumeTrue(false, "no chromium on PATH");
        }
        Path profile = Files.createDirectories(OUT.resolve("profile-" + name)).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(chrome, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
        cmd.addAll(List.of(extra));
        cmd.add(html.toAbsolutePath().toUri().toString());
        Path log = OUT.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s");
        }
        String err = Files.readString(log);
        assertThat(p.exitValue()).as(err).isZero();
        return new Browser(dom, err);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void headlessChromiumDrawsEveryChartWithoutAJavaScriptError() throws Exception {
        Files.createDirectories(OUT);
        String h = html(List.of(new HtmlReport.Section("IPVS, 4.19, conn_reuse_mode=0",
                withExplanations(ipvs, List.of(EXPLAINED))), new HtmlReport.Section("iptables", iptables)));
        Path report = OUT.resolve("report.html");
        Files.writeString(report, h, StandardCharsets.UTF_8);
        Path probe = OUT.resolve("probe.html");
        Files.writeString(probe, h.replaceFirst("<head>", "<head>" + HOOK), StandardCharsets.UTF_8);

        Browser b = open(probe, "dom", "--dump-dom");
        assertThat(b.dom()).doesNotContain("id=\"js-errors\"");
        assertThat(b.log()).doesNotContain("Uncaught");
        // per section: timeline, pod events, connect-time distribution, backends; uPlot draws each on a canvas
        assertThat(count(b.dom(), "<canvas\\b")).isEqualTo(8);
        assertThat(count(b.dom(), "class=\"uplot[ \"]")).isEqualTo(8);
        assertThat(b.dom()).contains("Connections per second", "Pod events (same time axis)",
                "Connect time distribution", "Connections per backend pod");
        assertThat(b.dom()).contains("Why the first failed or delayed connections went wrong",
                "conn_reuse_mode=0", "the real server has weight 0 &amp; its pod is deleted");
    }

    /** Not an assertion on pixels: a picture to look at when the layout changes (target/html-report-test). */
    @Test
    void screenshotForAHumanEye() throws Exception {
        Files.createDirectories(OUT);
        Path report = OUT.resolve("screenshot.html");
        Files.writeString(report, html(List.of(new HtmlReport.Section("IPVS, 4.19, conn_reuse_mode=0",
                withExplanations(ipvs, List.of(EXPLAINED))))), StandardCharsets.UTF_8);
        Path png = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        open(report, "screenshot", "--screenshot=" + png, "--window-size=1400,2400", "--hide-scrollbars");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }
}
