package io.svclab.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.svclab.k8s.controlplane.PodEvent;
import io.svclab.run.Results;
import io.svclab.run.RunResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The HTML report: one self-contained file (uPlot and its stylesheet inlined from the
 * {@code org.webjars.npm:uplot} jar, no network needed) with, per run, the timeline of attempted,
 * failed and delayed connections per simulated second with the ready pods on the same time axis,
 * the connect-time percentiles, the connections per backend, and the rollout's pod events. The
 * data are embedded as JSON; the charts are drawn by uPlot in the browser.
 */
public final class HtmlReport {

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final JsonFactory JSON = new JsonFactory();

    /** One run shown in the report, under a heading. */
    public record Section(String title, RunResult result) {
    }

    private HtmlReport() {
    }

    public static void write(List<Section> sections, String title, OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder(128 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(resource("uPlot.min.css")).append('\n')
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
                        + "h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}"
                        + "table{border-collapse:collapse;margin:8px 0}td,th{padding:2px 10px;border-bottom:1px solid #eee;"
                        + "text-align:right}th{text-align:left}.facts td{text-align:left}.chart{margin:12px 0}"
                        + ".events{max-height:240px;overflow:auto;display:inline-block}\n")
                .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            RunResult r = s.result();
            Results.Connections c = r.connections();
            b.append("<h2>").append(escape(s.title())).append("</h2>\n<table class=\"facts\">")
                    .append(row("scenario", r.scenario() + " (seed " + r.seed() + ")"))
                    .append(row("kernel / proxy", r.kernel() + " / " + r.proxyMode()))
                    .append(row("simulated", String.format(Locale.ROOT, "%.0f s, %d link packets, %d events",
                            r.simulatedSeconds(), r.packets(), r.events())))
                    .append(row("connections", c.attempted() + " attempted, " + c.succeeded() + " succeeded, "
                            + c.failed() + " failed, " + c.delayed() + " delayed"))
                    .append(row("errors", errors(c.errors())))
                    .append("</table>\n")
                    .append("<div class=\"chart\" id=\"timeline-").append(i).append("\"></div>\n")
                    .append("<div class=\"chart\" id=\"connect-").append(i).append("\" style=\"display:inline-block\"></div>\n")
                    .append("<div class=\"chart\" id=\"backends-").append(i).append("\" style=\"display:inline-block\"></div>\n")
                    .append(events(r.podEvents()));
        }
        b.append("<script id=\"svclab-data\" type=\"application/json\">").append(data(sections).replace("</", "<\\/"))
                .append("</script>\n<script>\n").append(resource("uPlot.iife.min.js")).append("\n</script>\n<script>\n")
                .append(SCRIPT).append("</script>\n</body></html>\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String row(String k, String v) {
        return "<tr><th>" + escape(k) + "</th><td>" + escape(v) + "</td></tr>";
    }

    private static String errors(Map<String, Long> errors) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : errors.entrySet()) {
            if (e.getValue() > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    private static String events(List<PodEvent> events) {
        if (events.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<div class=\"events\"><table><tr><th>time s</th><th>pod</th><th>event</th></tr>");
        int n = 0;
        for (PodEvent e : events) {
            if (n++ == 400) {
                b.append("<tr><td colspan=3>… ").append(events.size() - 400).append(" more</td></tr>");
                break;
            }
            b.append(String.format(Locale.ROOT, "<tr><td>%.3f</td><td>%s</td><td>%s</td></tr>", e.timeNs() / 1e9,
                    escape(e.pod()), e.kind().name()));
        }
        return b.append("</table></div>\n").toString();
    }

    /** The charts' data: per section the timeline, ready pods per second, percentiles and backends. */
    private static String data(List<Section> sections) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (Section s : sections) {
                RunResult r = s.result();
                int seconds = (int) Math.ceil(r.simulatedSeconds());
                long[] attempted = new long[seconds];
                long[] failed = new long[seconds];
                long[] delayed = new long[seconds];
                for (Results.Second t : r.timeline()) {
                    if (t.second() < seconds) {
                        attempted[t.second()] = t.attempted();
                        failed[t.second()] = t.failed();
                        delayed[t.second()] = t.delayed();
                    }
                }
                g.writeStartObject();
                g.writeStringField("title", s.title());
                array(g, "attempted", attempted);
                array(g, "failed", failed);
                array(g, "delayed", delayed);
                array(g, "ready", readyPods(r.podEvents(), seconds));
                Results.ConnectMs cm = r.connections().connectMs();
                g.writeArrayFieldStart("connectMs");
                for (double v : new double[] {cm.p50(), cm.p90(), cm.p99(), cm.p999(), cm.max()}) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("backendNames");
                for (Results.Backend b : r.backends()) {
                    g.writeString(b.pod());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("backendConnections");
                for (Results.Backend b : r.backends()) {
                    g.writeNumber(b.connections());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("backendFailed");
                for (Results.Backend b : r.backends()) {
                    g.writeNumber(b.failed());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return w.toString();
    }

    private static void array(JsonGenerator g, String name, long[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (long v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    /** Ready pods at the end of each second: READY adds a pod, its deletion or teardown removes it. */
    static long[] readyPods(List<PodEvent> events, int seconds) {
        long[] out = new long[seconds];
        TreeSet<String> ready = new TreeSet<>();
        int i = 0;
        for (int s = 0; s < seconds; s++) {
            long end = (s + 1) * 1_000_000_000L;
            while (i < events.size() && events.get(i).timeNs() < end) {
                PodEvent e = events.get(i++);
                switch (e.kind()) {
                    case READY:
                        ready.add(e.pod());
                        break;
                    case DELETED:
                    case DESTROYED:
                        ready.remove(e.pod());
                        break;
                    default:
                        break;
                }
            }
            out[s] = ready.size();
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(UPLOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing uPlot resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String SCRIPT = String.join("\n",
            "const sections = JSON.parse(document.getElementById('svclab-data').textContent);",
            "const W = Math.min(1100, window.innerWidth - 60);",
            "const bars = uPlot.paths.bars({size: [0.6, 60]});",
            "sections.forEach((s, i) => {",
            "  const xs = s.attempted.map((_, k) => k);",
            "  new uPlot({title: 'Connections per second (by start) and ready pods', width: W, height: 300,",
            "    scales: {x: {time: false}, pods: {}},",
            "    axes: [{label: 'simulated second'}, {label: 'connections'}, {scale: 'pods', side: 1, label: 'ready pods', grid: {show: false}}],",
            "    series: [{}, {label: 'attempted', stroke: '#3366cc'}, {label: 'failed', stroke: '#dc3912', width: 2},",
            "      {label: 'delayed', stroke: '#ff9900', width: 2}, {label: 'ready pods', stroke: '#109618', scale: 'pods', dash: [6, 4]}]},",
            "    [xs, s.attempted, s.failed, s.delayed, s.ready], document.getElementById('timeline-' + i));",
            "  const pad = {time: false, range: (u, min, max) => [min - 0.5, max + 0.5]};",
            "  new uPlot({title: 'Connect time percentiles (ms)', width: Math.min(520, W), height: 240,",
            "    scales: {x: pad}, axes: [{values: (u, v) => v.map(k => ['p50','p90','p99','p99.9','max'][k] || '')}, {}],",
            "    series: [{}, {label: 'ms', fill: '#3366cc88', stroke: '#3366cc', paths: bars, points: {show: false}}]},",
            "    [[0, 1, 2, 3, 4], s.connectMs], document.getElementById('connect-' + i));",
            "  const bx = s.backendNames.map((_, k) => k);",
            "  new uPlot({title: 'Connections per backend pod', width: Math.min(520, W), height: 240,",
            "    scales: {x: pad}, axes: [{values: (u, v) => v.map(k => s.backendNames[k] || '')}, {}],",
            "    series: [{}, {label: 'accepted', fill: '#10961888', stroke: '#109618', paths: bars, points: {show: false}},",
            "      {label: 'failed', fill: '#dc391288', stroke: '#dc3912', paths: bars, points: {show: false}}]},",
            "    [bx, s.backendConnections, s.backendFailed], document.getElementById('backends-' + i));",
            "});",
            "");
}
