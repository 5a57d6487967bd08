package io.svclab.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.svclab.run.Explanation;
import io.svclab.run.Results;
import io.svclab.run.RunResult;
import io.svclab.run.StepResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Map;

/**
 * The result JSON of the contract (§4), written field by field with a streaming generator so
 * that key order is fixed and the same run gives the same bytes (except {@code wallSeconds}).
 * {@code explanations} (§4.3) is present only when the run was asked for them ({@code --explain});
 * {@code notModelled} lists what this build does not simulate. {@code connections}, {@code backends} and {@code timeline} count
 * every client connection of the run, generated or scripted (definitions in
 * {@link io.svclab.run.Results}); {@code connections.inFlight} and {@code backends[].node} are
 * additions to the contract, and so are the {@code requests} block (the generated load's
 * requests: attempted, succeeded, failed, errors, latencyMs, inFlight; written after
 * {@code connections}) and each timeline entry's {@code requests} and {@code requestsFailed} (after
 * {@code delayed}) and each backend's {@code requests} (after {@code failed}), present when the run
 * collected requests.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(RunResult r, OutputStream out) throws IOException {
        write(r, false, out);
    }

    public static void write(RunResult r, Writer out) throws IOException {
        write(r, false, out);
    }

    /**
     * The result JSON; with {@code explanations} (the run was asked for them, {@code --explain}) it
     * carries the {@code explanations} array after {@code dumps}, else that key is absent.
     */
    public static void write(RunResult r, boolean explanations, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            write(r, explanations, g);
        }
    }

    /** As {@link #write(RunResult, boolean, OutputStream)}. */
    public static void write(RunResult r, boolean explanations, Writer out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            write(r, explanations, g);
        }
    }

    private static void write(RunResult r, boolean explanations, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("svclab", r.version());
        g.writeStringField("scenario", r.scenario());
        g.writeNumberField("seed", r.seed());
        g.writeStringField("kernel", r.kernel());
        g.writeStringField("proxyMode", r.proxyMode());
        g.writeObjectFieldStart("sysctl");
        for (String[] kv : r.sysctl()) {
            String v = kv[1];
            if (v.matches("-?\\d{1,18}")) {
                g.writeNumberField(kv[0], Long.parseLong(v));
            } else {
                g.writeStringField(kv[0], v);
            }
        }
        g.writeEndObject();
        g.writeNumberField("simulatedSeconds", r.simulatedSeconds());
        g.writeNumberField("wallSeconds", Math.round(r.wallSeconds() * 1000) / 1000.0);
        g.writeNumberField("packets", r.packets());
        g.writeNumberField("events", r.events());

        Results.Connections c = r.connections();
        g.writeObjectFieldStart("connections");
        g.writeNumberField("attempted", c.attempted());
        g.writeNumberField("succeeded", c.succeeded());
        g.writeNumberField("failed", c.failed());
        g.writeObjectFieldStart("errors");
        for (Map.Entry<String, Long> e : c.errors().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("delayed", c.delayed());
        g.writeObjectFieldStart("connectMs");
        g.writeNumberField("p50", c.connectMs().p50());
        g.writeNumberField("p90", c.connectMs().p90());
        g.writeNumberField("p99", c.connectMs().p99());
        g.writeNumberField("p999", c.connectMs().p999());
        g.writeNumberField("max", c.connectMs().max());
        g.writeEndObject();
        g.writeObjectFieldStart("synRetransmissions");
        for (Map.Entry<Integer, Long> e : c.synRetransmissions().entrySet()) {
            g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("inFlight", c.inFlight());
        g.writeEndObject();

        Results.Requests q = r.requests();
        if (q != null) {
            g.writeObjectFieldStart("requests");
            g.writeNumberField("attempted", q.attempted());
            g.writeNumberField("succeeded", q.succeeded());
            g.writeNumberField("failed", q.failed());
            g.writeObjectFieldStart("errors");
            for (Map.Entry<String, Long> e : q.errors().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("latencyMs");
            g.writeNumberField("p50", q.latencyMs().p50());
            g.writeNumberField("p90", q.latencyMs().p90());
            g.writeNumberField("p99", q.latencyMs().p99());
            g.writeNumberField("p999", q.latencyMs().p999());
            g.writeNumberField("max", q.latencyMs().max());
            g.writeEndObject();
            g.writeNumberField("inFlight", q.inFlight());
            g.writeEndObject();
        }

        g.writeArrayFieldStart("backends");
        for (Results.Backend b : r.backends()) {
            g.writeStartObject();
            g.writeStringField("pod", b.pod());
            if (b.ip() == null) {
                g.writeNullField("ip");
            } else {
                g.writeStringField("ip", b.ip());
            }
            g.writeNumberField("connections", b.connections());
            g.writeNumberField("failed", b.failed());
            if (r.requests() != null) {
                g.writeNumberField("requests", b.requests());
            }
            g.writeNumberField("node", b.node());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("timeline");
        for (Results.Second s : r.timeline()) {
            g.writeStartObject();
            g.writeNumberField("second", s.second());
            g.writeNumberField("attempted", s.attempted());
            g.writeNumberField("failed", s.failed());
            g.writeNumberField("delayed", s.delayed());
            if (r.requests() != null) {
                g.writeNumberField("requests", s.requests());
                g.writeNumberField("requestsFailed", s.requestsFailed());
            }
            g.writeObjectFieldStart("backends");
            for (Map.Entry<String, Long> e : s.backends().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("steps");
        for (StepResult s : r.steps()) {
            g.writeStartObject();
            g.writeNumberField("index", s.index());
            g.writeStringField("type", s.type());
            g.writeNumberField("atMs", s.atNs() / 1e6);
            StepResult.Connect sc = s.connect();
            if (sc == null) {
                g.writeStringField("result", s.detail());
            } else {
                g.writeNumberField("sport", sc.sport());
                g.writeStringField("result", sc.result());
                if (sc.backend() == null) {
                    g.writeNullField("backend");
                } else {
                    g.writeStringField("backend", sc.backend());
                }
                if (sc.connectMs() == null) {
                    g.writeNullField("connectMs");
                    g.writeNullField("synRetransmissions");
                } else {
                    g.writeNumberField("connectMs", sc.connectMs());
                    g.writeNumberField("synRetransmissions", sc.synRetransmissions());
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("dumps");
        for (RunResult.Dump d : r.dumps()) {
            g.writeStartObject();
            g.writeNumberField("step", d.step());
            g.writeStringField("kind", d.kind());
            g.writeStringField("text", d.text());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (explanations) {
            writeExplanations(r, g);
        }
        g.writeArrayFieldStart("notModelled");
        for (String n : r.notModelled()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
    }

    /** Contract §4.3: the same facts as the text form, times in seconds to the microsecond. */
    private static void writeExplanations(RunResult r, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("explanations");
        for (Explanation x : r.explanations()) {
            g.writeStartObject();
            g.writeStringField("client", x.client());
            g.writeStringField("service", x.service());
            g.writeStringField("protocol", x.protocol());
            g.writeStringField("result", x.result());
            nullable(g, "backend", x.backend());
            g.writeNumberField("startSeconds", us(x.startSeconds()));
            g.writeNumberField("endSeconds", us(x.endSeconds()));
            g.writeNumberField("synRetransmissions", x.synRetransmissions());
            g.writeArrayFieldStart("chain");
            for (Explanation.Decision d : x.chain()) {
                g.writeStartObject();
                g.writeNumberField("seconds", us(d.seconds()));
                g.writeStringField("where", d.where());
                g.writeStringField("what", d.what());
                nullable(g, "entry", d.entry());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("summary", x.summary());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void nullable(JsonGenerator g, String key, String value) throws IOException {
        if (value == null) {
            g.writeNullField(key);
        } else {
            g.writeStringField(key, value);
        }
    }

    private static double us(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }
}
