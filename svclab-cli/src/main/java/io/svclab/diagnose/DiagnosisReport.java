package io.svclab.diagnose;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;

/** Writes a {@link Diagnosis} as the JSON of contract §6 or as a text report. */
public final class DiagnosisReport {

    private DiagnosisReport() {
    }

    /**
     * The JSON: {@code kernel}, {@code inputs} (file, kind, format, entries), {@code findings} (id,
     * severity, summary, evidence, prediction, reference, and the per-entry {@code predictions}),
     * {@code warnings} (what the model could not seed).
     */
    public static void json(Diagnosis d, OutputStream out) throws IOException {
        try (JsonGenerator g = io.svclab.report.Json.open(out)) {
            g.writeStartObject();
            g.writeStringField("kernel", d.profile().name());
            g.writeBooleanField("kernelAssumed", !d.kernelGiven());
            g.writeArrayFieldStart("inputs");
            for (Diagnosis.Input in : d.inputs()) {
                g.writeStartObject();
                g.writeStringField("file", in.file());
                g.writeStringField("kind", in.kind());
                g.writeStringField("format", in.format());
                g.writeNumberField("entries", in.entries());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("findings");
            for (Diagnosis.Finding f : d.findings()) {
                g.writeStartObject();
                g.writeStringField("id", f.id());
                g.writeStringField("severity", f.severity());
                g.writeStringField("summary", f.summary());
                g.writeArrayFieldStart("evidence");
                for (Diagnosis.Evidence e : f.evidence()) {
                    g.writeStartObject();
                    g.writeStringField("file", e.file());
                    g.writeNumberField("line", e.line());
                    g.writeStringField("text", e.text());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("prediction", f.prediction());
                if (!f.predictions().isEmpty()) {
                    g.writeArrayFieldStart("predictions");
                    for (Diagnosis.Prediction p : f.predictions()) {
                        g.writeStartObject();
                        g.writeStringField("client", p.client());
                        g.writeStringField("entry", p.entry());
                        g.writeStringField("outcome", p.outcome().kind());
                        if (p.outcome().kind().equals(NodeModel.Outcome.FORWARDED)) {
                            g.writeStringField("to", p.outcome().to());
                        }
                        g.writeNumberField("afterMs", p.outcome().afterMs());
                        g.writeStringField("text", p.text());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeStringField("reference", f.reference());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String w : d.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** The text report: inputs, then each finding with its evidence and prediction. */
    public static void text(Diagnosis d, PrintWriter out) {
        out.println("svclab diagnose: kernel " + d.profile().name() + (d.kernelGiven() ? "" : " (assumed; give --kernel)"));
        out.println();
        out.println("inputs:");
        for (Diagnosis.Input in : d.inputs()) {
            out.printf("  %-40s %-22s %6d entries%n", in.file(), in.format(), in.entries());
        }
        out.println();
        if (d.findings().isEmpty()) {
            out.println("no findings");
        }
        int n = 0;
        for (Diagnosis.Finding f : d.findings()) {
            out.printf("%d. [%s] %s%n", ++n, f.severity(), f.id());
            out.println("   " + f.summary());
            out.println("   evidence:");
            for (Diagnosis.Evidence e : f.evidence()) {
                out.println("     " + e.file() + ":" + e.line() + ": " + e.text().strip());
            }
            if (f.predictions().isEmpty()) {
                out.println("   prediction: " + f.prediction());
            } else {
                out.println("   prediction (model):");
                for (Diagnosis.Prediction p : f.predictions()) {
                    out.println("     " + p.text());
                }
            }
            out.println("   reference: " + f.reference());
            out.println();
        }
        for (String w : d.warnings()) {
            out.println("warning: " + w);
        }
        out.flush();
    }
}
