package io.svclab.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.svclab.net.Ip4;
import io.svclab.run.RunResult;
import io.svclab.run.StepResult;
import io.svclab.k8s.Pod;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * The result JSON of the contract (§4), written field by field with a streaming generator so
 * that key order is fixed and the same run gives the same bytes (except {@code wallSeconds}).
 * Keys whose facts this build cannot compute yet (connections, timeline, explanations)
 * are absent rather than zero; {@code notModelled} says why.
 */
public final class JsonReport {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReport() {
    }

    public static void write(RunResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(r, g);
        }
    }

    public static void write(RunResult r, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(r, g);
        }
    }

    private static void write(RunResult r, JsonGenerator g) throws IOException {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        g.setPrettyPrinter(pp);
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

        g.writeArrayFieldStart("backends");
        for (Pod p : r.pods()) {
            if (p.client()) {
                continue;
            }
            g.writeStartObject();
            g.writeStringField("pod", p.name());
            g.writeStringField("ip", Ip4.format(p.ip()));
            g.writeNumberField("node", p.node());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("steps");
        for (StepResult s : r.steps()) {
            g.writeStartObject();
            g.writeNumberField("index", s.index());
            g.writeStringField("type", s.type());
            g.writeNumberField("atMs", s.atNs() / 1e6);
            StepResult.Connect c = s.connect();
            if (c == null) {
                g.writeStringField("result", s.detail());
            } else {
                g.writeNumberField("sport", c.sport());
                g.writeStringField("result", c.result());
                if (c.backend() == null) {
                    g.writeNullField("backend");
                } else {
                    g.writeStringField("backend", c.backend());
                }
                if (c.connectMs() == null) {
                    g.writeNullField("connectMs");
                    g.writeNullField("synRetransmissions");
                } else {
                    g.writeNumberField("connectMs", c.connectMs());
                    g.writeNumberField("synRetransmissions", c.synRetransmissions());
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
        g.writeArrayFieldStart("notModelled");
        for (String n : r.notModelled()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
    }
}
