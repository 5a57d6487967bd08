package io.svclab.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.svclab.k8s.controlplane.PodEvent;
import io.svclab.run.Explanation;
import io.svclab.run.Results;
import io.svclab.run.RunResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The HTML report: one self-contained file (uPlot 1.6.30 and its stylesheet inlined from the
 * {@code org.webjars.npm:uplot} jar; no network access, no external resource) with, per run (the
 * {@code demo} passes one section per configuration, with a comparison table on top):
 * <ul>
 * <li>the run's facts (scenario, seed, kernel, proxy, simulated time, connections, errors);</li>
 * <li>the timeline of attempted, failed and delayed connections per simulated second (by the
 *     second they started) with the ready pods, and under it, on the same time axis with a shared
 *     cursor, the rollout's pod events (created, ready, deleted / SIGTERM, gone);</li>
 * <li>the connect-time distribution: connections per 1-2-5 bucket (log scale) with the cumulative
 *     share, the percentiles and the connections by number of SYN retransmissions;</li>
 * <li>the connections per backend pod, as bars and as a table;</li>
 * <li>the explanations of the first failed or delayed connections ({@link Explanation}), when the
 *     run recorded them: outcome, summary and the chain of decisions with the entry that decided
 *     each;</li>
 * <li>the pod events as a table.</li>
 * </ul>
 * The figures are embedded as JSON and drawn by uPlot in the browser; nothing is re-derived here
 * beyond the ready-pod count per second and the cumulative share.
 */
public final class HtmlReport {

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_EVENT_ROWS = 400;

    /** One run shown in the report, under a heading. */
    public record Section(String title, RunResult result) {
    }

    private HtmlReport() {
    }

    public static void write(List<Section> sections, String title, OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder(160 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(resource("uPlot.min.css")).append('\n')
                .append(STYLE).append("</style></head><body>\n<main>\n<h1>").append(escape(title)).append("</h1>\n");
        if (sections.size() > 1) {
            b.append(comparison(sections));
        }
        for (int i = 0; i < sections.size(); i++) {
            section(b, i, sections.get(i));
        }
        b.append("<footer>svclab ").append(escape(sections.isEmpty() ? "" : sections.get(0).result().version()))
                .append(": a deterministic simulation; times are simulated.</footer>\n</main>\n")
                .append("<script id=\"svclab-data\" type=\"application/json\">").append(data(sections).replace("</", "<\\/"))
                .append("</script>\n<script>\n").append(resource("uPlot.iife.min.js")).append("\n</script>\n<script>\n")
                .append(SCRIPT).append("</script>\n</body></html>\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The configurations side by side, each linking to its section. */
    private static String comparison(List<Section> sections) {
        StringBuilder b = new StringBuilder("<table class=\"compare\"><tr><th>configuration</th><th>attempted</th>"
                + "<th>failed</th><th>delayed</th><th>connect p99 ms</th><th>max ms</th></tr>\n");
        for (int i = 0; i < sections.size(); i++) {
            Results.Connections c = sections.get(i).result().connections();
            b.append("<tr><th><a href=\"#run-").append(i).append("\">").append(escape(sections.get(i).title()))
                    .append("</a></th>").append(num(c.attempted())).append(numClass(c.failed(), "bad"))
                    .append(numClass(c.delayed(), "warn")).append(num(c.connectMs().p99()))
                    .append(num(c.connectMs().max())).append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static void section(StringBuilder b, int i, Section s) {
        RunResult r = s.result();
        Results.Connections c = r.connections();
        b.append("<section id=\"run-").append(i).append("\">\n<h2>").append(escape(s.title())).append("</h2>\n")
                .append("<table class=\"facts\">")
                .append(row("scenario", r.scenario() + " (seed " + r.seed() + ")"))
                .append(row("kernel / proxy", r.kernel() + " / " + r.proxyMode()))
                .append(row("simulated", String.format(Locale.ROOT, "%.0f s, %d link packets, %d events",
                        r.simulatedSeconds(), r.packets(), r.events())))
                .append(row("connections", c.attempted() + " attempted, " + c.succeeded() + " succeeded, "
                        + c.failed() + " failed, " + c.delayed() + " delayed, " + c.inFlight() + " in flight at the end"))
                .append(row("errors", errors(c.errors())))
                .append("</table>\n");
        for (String n : r.notModelled()) {
            b.append("<p class=\"warn\">not modelled: ").append(escape(n)).append("</p>\n");
        }
        b.append("<h3>Timeline</h3>\n<div class=\"chart\" id=\"timeline-").append(i).append("\"></div>\n");
        if (!r.podEvents().isEmpty()) {
            b.append("<div class=\"chart\" id=\"pods-").append(i).append("\"></div>\n");
        }
        b.append("<h3>Connect time</h3>\n<div class=\"row\"><div class=\"chart\" id=\"connect-").append(i)
                .append("\"></div>\n<div>").append(percentiles(c)).append(synRetransmissions(c)).append("</div></div>\n")
                .append("<h3>Backends</h3>\n<div class=\"row\"><div class=\"chart\" id=\"backends-").append(i)
                .append("\"></div>\n<div>").append(backends(r.backends())).append("</div></div>\n")
                .append(explanations(r.explanations()))
                .append(events(r.podEvents()))
                .append("</section>\n");
    }

    private static String row(String k, String v) {
        return "<tr><th>" + escape(k) + "</th><td>" + escape(v) + "</td></tr>";
    }

    private static String num(Object v) {
        return "<td class=\"n\">" + escape(String.valueOf(v)) + "</td>";
    }

    private static String numClass(long v, String cls) {
        return "<td class=\"n" + (v > 0 ? " " + cls : "") + "\">" + v + "</td>";
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

    private static String percentiles(Results.Connections c) {
        Results.ConnectMs m = c.connectMs();
        return "<table><tr><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr><tr>" + num(m.p50())
                + num(m.p90()) + num(m.p99()) + num(m.p999()) + num(m.max()) + "</tr></table>"
                + "<p class=\"note\">connect time in ms: first SYN to established, or to the failure</p>";
    }

    private static String synRetransmissions(Results.Connections c) {
        if (c.synRetransmissions().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<table><tr><th>SYN retransmissions</th><th>connections</th></tr>");
        for (Map.Entry<Integer, Long> e : c.synRetransmissions().entrySet()) {
            b.append("<tr><td class=\"n\">").append(e.getKey()).append("</td>").append(num(e.getValue())).append("</tr>");
        }
        return b.append("</table>").toString();
    }

    private static String backends(List<Results.Backend> backends) {
        StringBuilder b = new StringBuilder("<table><tr><th>pod</th><th>IP</th><th>node</th><th>accepted</th>"
                + "<th>failed</th></tr>");
        for (Results.Backend x : backends) {
            b.append("<tr><td>").append(escape(x.pod())).append("</td><td>").append(x.ip() == null ? "" : escape(x.ip()))
                    .append("</td>").append(num(x.node() == 0 ? "" : "node-" + x.node())).append(num(x.connections()))
                    .append(numClass(x.failed(), "bad")).append("</tr>");
        }
        return b.append("</table>").toString();
    }

    /** The explanations, each a card: outcome, summary, then the decisions in time order. */
    static String explanations(List<Explanation> list) {
        if (list == null || list.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Why the first failed or delayed connections went wrong</h3>\n");
        int n = 0;
        for (Explanation e : list) {
            n++;
            b.append("<div class=\"explain\"><p class=\"head\"><b>").append(n).append(". ")
                    .append(escape(e.protocol())).append(' ').append(escape(e.client())).append(" → ")
                    .append(escape(e.service())).append("</b>: <span class=\"")
                    .append("OK".equals(e.result()) ? "warn" : "bad").append("\">")
                    .append(escape("OK".equals(e.result()) ? "delayed" : e.result())).append("</span>")
                    .append(String.format(Locale.ROOT, " — from %.3f s to %.3f s, %d SYN retransmission%s",
                            e.startSeconds(), e.endSeconds(), e.synRetransmissions(),
                            e.synRetransmissions() == 1 ? "" : "s"));
            if (e.backend() != null) {
                b.append(", backend ").append(escape(e.backend()));
            }
            b.append("</p>\n");
            if (e.summary() != null && !e.summary().isEmpty()) {
                b.append("<p class=\"summary\">").append(escape(e.summary())).append("</p>\n");
            }
            if (!e.chain().isEmpty()) {
                b.append("<table class=\"chain\"><tr><th>time s</th><th>where</th><th>decision</th><th>entry</th></tr>\n");
                for (Explanation.Decision d : e.chain()) {
                    b.append(String.format(Locale.ROOT, "<tr><td class=\"n\">%.6f</td>", d.seconds()))
                            .append("<td>").append(escape(d.where())).append("</td><td>").append(escape(d.what()))
                            .append("</td><td>").append(d.entry() == null ? "" : "<code>" + escape(d.entry()) + "</code>")
                            .append("</td></tr>\n");
                }
                b.append("</table>\n");
            }
            b.append("</div>\n");
        }
        return b.toString();
    }

    private static String events(List<PodEvent> events) {
        if (events.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<details><summary>Pod events (").append(events.size())
                .append(")</summary><div class=\"events\"><table><tr><th>time s</th><th>pod</th><th>event</th></tr>");
        int n = 0;
        for (PodEvent e : events) {
            if (n++ == MAX_EVENT_ROWS) {
                b.append("<tr><td colspan=3>… ").append(events.size() - MAX_EVENT_ROWS).append(" more</td></tr>");
                break;
            }
            b.append(String.format(Locale.ROOT, "<tr><td class=\"n\">%.3f</td><td>%s</td><td>%s</td></tr>",
                    e.timeNs() / 1e9, escape(e.pod()), e.kind().name()));
        }
        return b.append("</table></div></details>\n").toString();
    }

    /** The pod-event groups of the lifecycle chart, in drawing order. */
    static int group(PodEvent.Kind k) {
        switch (k) {
            case CREATED:
            case LISTENING:
                return 0;
            case READY:
                return 1;
            case DELETED:
            case SIGTERM:
                return 2;
            default:
                return 3; // SIGKILL, EXITED, DESTROYED
        }
    }

    /** The charts' data, one object per section. */
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
                g.writeNumberField("seconds", seconds);
                array(g, "attempted", attempted);
                array(g, "failed", failed);
                array(g, "delayed", delayed);
                array(g, "ready", readyPods(r.podEvents(), seconds));
                podEvents(g, r.podEvents());
                g.writeArrayFieldStart("bucketTo");
                for (Results.Bucket k : r.connections().connectHistogram()) {
                    g.writeNumber(k.toMs());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("bucketCount");
                for (Results.Bucket k : r.connections().connectHistogram()) {
                    g.writeNumber(k.count());
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

    /** {@code pods}: names in order of first event; {@code podEvents}: [seconds, pod index, group] in time order. */
    private static void podEvents(JsonGenerator g, List<PodEvent> events) throws IOException {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (PodEvent e : events) {
            index.putIfAbsent(e.pod(), index.size());
        }
        g.writeArrayFieldStart("pods");
        for (String p : index.keySet()) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("podEvents");
        for (PodEvent e : events) {
            g.writeStartArray();
            g.writeNumber(e.timeNs() / 1e9);
            g.writeNumber(index.get(e.pod()));
            g.writeNumber(group(e.kind()));
            g.writeEndArray();
        }
        g.writeEndArray();
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

    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#fff;"
                    + "font-size:14px;line-height:1.45}",
            "main{max-width:1180px;margin:0 auto;padding:20px 28px 40px}",
            "h1{font-size:22px;margin:8px 0 16px}",
            "h2{font-size:19px;margin:36px 0 10px;padding-bottom:4px;border-bottom:2px solid #d0d7de}",
            "h3{font-size:15px;margin:22px 0 6px;color:#444}",
            "table{border-collapse:collapse;margin:6px 0 10px}",
            "td,th{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}",
            "th{font-weight:600;background:#f6f8fa}",
            "td.n{text-align:right;font-variant-numeric:tabular-nums}",
            ".facts th{background:none;color:#57606a;font-weight:500;white-space:nowrap}",
            ".compare a{color:#0969da;text-decoration:none}",
            ".bad{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}",
            ".note{color:#57606a;font-size:12px;margin:2px 0 10px}",
            ".row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}",
            ".chart{margin:4px 0}",
            ".explain{border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:4px;padding:6px 14px;"
                    + "margin:10px 0}",
            ".explain .head{margin:6px 0}.explain .summary{margin:6px 0 8px;max-width:900px}",
            ".chain td{font-size:13px}.chain code{font-size:12px;white-space:pre-wrap;word-break:break-word}",
            "details{margin:14px 0}summary{cursor:pointer;color:#0969da}",
            ".events{max-height:300px;overflow:auto;display:inline-block}",
            "footer{margin-top:40px;color:#57606a;font-size:12px}",
            "");

    private static final String SCRIPT = String.join("\n",
            "const sections = JSON.parse(document.getElementById('svclab-data').textContent);",
            "const W = Math.max(480, Math.min(1120, document.querySelector('main').clientWidth - 10));",
            "const LEFT = 110, RIGHT = 50; // the same plot area for the charts that share the time axis",
            "const HALF = Math.max(420, Math.min(560, W - 460));",
            "const bars = uPlot.paths.bars({size: [0.7, 60]});",
            "const steps = uPlot.paths.stepped({align: 1});",
            "const GROUPS = [['created', '#8c959f'], ['ready', '#1a7f37'], ['deleted / SIGTERM', '#bf8700'],"
                    + " ['gone', '#cf222e']];",
            "const ms = v => v >= 1000 ? (v / 1000) + ' s' : v + ' ms';",
            "sections.forEach((s, i) => {",
            "  const secs = Math.max(1, s.seconds);",
            "  const xr = {time: false, range: () => [0, secs]};",
            "  const sync = {key: 'run-' + i};",
            "  const xs = s.attempted.map((_, k) => k);",
            "  new uPlot({title: 'Connections per second (by the second they started) and ready pods', width: W,"
                    + " height: 300, cursor: {sync},",
            "    scales: {x: xr, pods: {range: (u, min, max) => [0, Math.max(1, max + 1)]}},",
            "    axes: [{label: 'simulated time (s)'}, {label: 'connections / s', size: LEFT},",
            "      {scale: 'pods', side: 1, label: 'ready pods', size: RIGHT, grid: {show: false}}],",
            "    series: [{label: 'second'}, {label: 'attempted', stroke: '#0969da', paths: steps, points: {show: false}},",
            "      {label: 'failed', stroke: '#cf222e', width: 2, paths: steps, fill: '#cf222e22', points: {show: false}},",
            "      {label: 'delayed', stroke: '#bf8700', width: 2, paths: steps, points: {show: false}},",
            "      {label: 'ready pods', stroke: '#1a7f37', scale: 'pods', dash: [6, 4], paths: steps, points: {show: false}}]},",
            "    [xs, s.attempted, s.failed, s.delayed, s.ready], document.getElementById('timeline-' + i));",
            "  const pe = document.getElementById('pods-' + i);",
            "  if (pe) {",
            "    const ex = s.podEvents.map(e => e[0]);",
            "    const ys = GROUPS.map((_, gi) => s.podEvents.map(e => e[2] === gi ? e[1] : null));",
            "    new uPlot({title: 'Pod events (same time axis)', width: W, height: Math.min(560, 130 + 20 * s.pods.length),",
            "      cursor: {sync}, scales: {x: xr, y: {range: () => [-0.7, s.pods.length - 0.3]}},",
            "      axes: [{label: 'simulated time (s)'}, {label: 'pod', size: LEFT, splits: () => s.pods.map((_, k) => k),",
            "        values: (u, v) => v.map(k => s.pods[k] || '')},",
            "        {side: 1, label: '', size: RIGHT, splits: () => [], grid: {show: false}, ticks: {show: false}}],",
            "      series: [{label: 'time s'}].concat(GROUPS.map(g => ({label: g[0], stroke: g[1], fill: g[1], paths: () => null,",
            "        points: {show: true, size: 8, width: 1, fill: g[1], stroke: g[1]},",
            "        value: (u, v) => v == null ? '' : s.pods[v]})))},",
            "      [ex].concat(ys), pe);",
            "  }",
            "  if (s.bucketCount.length > 0) {",
            "    const total = s.bucketCount.reduce((a, b) => a + b, 0);",
            "    let run = 0;",
            "    const cdf = s.bucketCount.map(c => { run += c; return 100 * run / total; });",
            "    const bx = s.bucketCount.map((_, k) => k);",
            "    new uPlot({title: 'Connect time distribution', width: HALF, height: 280,",
            "      scales: {x: {time: false, range: () => [-0.6, bx.length - 0.4]}, y: {distr: 3}, pct: {range: [0, 100]}},",
            "      axes: [{label: 'connect time (bucket upper bound)', splits: () => bx,",
            "        values: (u, v) => v.map(k => k in s.bucketTo ? '<' + ms(s.bucketTo[k]) : ''), rotate: -40, size: 60},",
            "        {label: 'connections (log scale)', size: 70}, {scale: 'pct', side: 1, label: 'cumulative %', grid: {show: false}}],",
            "      series: [{label: 'bucket', value: (u, k) => k == null ? '' : '<' + ms(s.bucketTo[k])},",
            "        {label: 'connections', fill: '#0969da88', stroke: '#0969da', paths: bars, points: {show: false},",
            "          value: (u, v) => v == null ? '' : v},",
            "        {label: 'cumulative %', stroke: '#6e40c9', scale: 'pct', width: 2, points: {show: bx.length < 3},",
            "          value: (u, v) => v == null ? '' : v.toFixed(2)}]},",
            "      [bx, s.bucketCount.map(c => c > 0 ? c : null), cdf], document.getElementById('connect-' + i));",
            "  }",
            "  if (s.backendNames.length > 0) {",
            "    const kx = s.backendNames.map((_, k) => k);",
            "    new uPlot({title: 'Connections per backend pod', width: HALF, height: 280,",
            "      scales: {x: {time: false, range: () => [-0.6, kx.length - 0.4]}},",
            "      axes: [{splits: () => kx, values: (u, v) => v.map(k => s.backendNames[k] || ''), rotate: -40, size: 90},",
            "        {label: 'connections'}],",
            "      series: [{label: 'pod', value: (u, k) => k == null ? '' : s.backendNames[k]},",
            "        {label: 'accepted', fill: '#1a7f3788', stroke: '#1a7f37', paths: bars, points: {show: false}},",
            "        {label: 'failed', fill: '#cf222e99', stroke: '#cf222e', paths: bars, points: {show: false}}]},",
            "      [kx, s.backendConnections, s.backendFailed], document.getElementById('backends-' + i));",
            "  }",
            "});",
            "");
}
