package io.svclab.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * The one JSON layout of every file svclab writes (run results, sweeps, diagnoses, bench figures):
 * one member or element per line, indented by two spaces, so that outputs diff line by line.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** A generator writing UTF-8 to {@code out} in the project's layout. */
    public static JsonGenerator open(OutputStream out) throws IOException {
        return layout(FACTORY.createGenerator(out));
    }

    /** A generator writing to {@code out} in the project's layout. */
    public static JsonGenerator open(Writer out) throws IOException {
        return layout(FACTORY.createGenerator(out));
    }

    private static JsonGenerator layout(JsonGenerator g) {
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(indent).withArrayIndenter(indent));
        return g;
    }
}
