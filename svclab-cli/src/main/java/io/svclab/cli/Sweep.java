package io.svclab.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.svclab.run.Results;
import io.svclab.run.RunResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The table of a sweep: the varied keys and their values, the number of seeds, and one row per
 * combination that was run. Combination {@code i} is the {@code i}-th element of the cross
 * product of the {@code --vary} values (the first key varies slowest), each times the seeds
 * (innermost, seed, seed+1, …); a shard holds the rows whose index modulo N is I-1. Rows are
 * always kept in index order, so the table does not depend on the order in which the runs
 * finished. JSON and CSV are written field by field in a fixed order; apart from the wall-clock
 * fields ({@code wallSeconds}), the same sweep gives the same bytes.
 */
final class Sweep {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** One {@code --vary KEY=V1,V2,…}. */
    record Axis(String key, List<String> values) {
    }

    /**
     * One finished run.
     *
     * @param values the varied values, in axis order
     * @param errors failed connections by result (the fixed keys first, as in the run JSON)
     */
    record Row(int index, List<String> values, long seed, long attempted, long succeeded, long failed,
               long delayed, Map<String, Long> errors, double p50, double p99, double max, long packets,
               long events, double simulatedSeconds, double wallSeconds) {

        static Row of(int index, List<String> values, RunResult r) {
            Results.Connections c = r.connections();
            return new Row(index, values, r.seed(), c.attempted(), c.succeeded(), c.failed(), c.delayed(),
                    new LinkedHashMap<>(c.errors()), c.connectMs().p50(), c.connectMs().p99(), c.connectMs().max(),
                    r.packets(), r.events(), r.simulatedSeconds(), Math.round(r.wallSeconds() * 1000) / 1000.0);
        }
    }

    final String svclab;
    final String scenario;
    final List<Axis> axes;
    final int seeds;
    /** "I/N" for a shard, null for a whole sweep (or merged shards). */
    final String shard;
    final List<Row> rows;

    Sweep(String svclab, String scenario, List<Axis> axes, int seeds, String shard, List<Row> rows) {
        this.svclab = svclab;
        this.scenario = scenario;
        this.axes = List.copyOf(axes);
        this.seeds = seeds;
        this.shard = shard;
        this.rows = List.copyOf(rows);
    }

    /** The number of combinations of the whole sweep. */
    static int combinations(List<Axis> axes, int seeds) {
        long n = seeds;
        for (Axis a : axes) {
            n *= a.values().size();
            if (n > 1_000_000) {
                throw new UserError("--vary: more than 1000000 combinations");
            }
        }
        return (int) n;
    }

    int combinations() {
        return combinations(axes, seeds);
    }

    /** The varied values of combination {@code index}, in axis order. */
    static List<String> valuesOf(List<Axis> axes, int seeds, int index) {
        int rest = index / seeds;
        String[] out = new String[axes.size()];
        for (int i = axes.size() - 1; i >= 0; i--) {
            List<String> v = axes.get(i).values();
            out[i] = v.get(rest % v.size());
            rest /= v.size();
        }
        return List.of(out);
    }

    /** The seed offset (0 … seeds-1) of combination {@code index}. */
    static int seedOffset(int seeds, int index) {
        return index % seeds;
    }

    /** The error keys over all rows: the fixed ones first, then the others sorted. */
    private List<String> errorKeys() {
        List<String> keys = new ArrayList<>(Results.FIXED_ERRORS);
        TreeSet<String> extra = new TreeSet<>();
        for (Row r : rows) {
            for (String k : r.errors().keySet()) {
                if (!keys.contains(k)) {
                    extra.add(k);
                }
            }
        }
        keys.addAll(extra);
        return keys;
    }

    void writeJson(OutputStream out) throws IOException {
        try (JsonGenerator g = io.svclab.report.Json.open(out)) {
            writeJson(g);
        }
    }

    void writeJson(Writer out) throws IOException {
        try (JsonGenerator g = io.svclab.report.Json.open(out)) {
            writeJson(g);
        }
    }

    private void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("svclab", svclab);
        g.writeStringField("scenario", scenario);
        g.writeArrayFieldStart("vary");
        for (Axis a : axes) {
            g.writeStartObject();
            g.writeStringField("key", a.key());
            g.writeArrayFieldStart("values");
            for (String v : a.values()) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("seeds", seeds);
        g.writeNumberField("combinations", combinations());
        if (shard == null) {
            g.writeNullField("shard");
        } else {
            g.writeStringField("shard", shard);
        }
        g.writeArrayFieldStart("rows");
        for (Row r : rows) {
            g.writeStartObject();
            g.writeNumberField("index", r.index());
            g.writeObjectFieldStart("values");
            for (int i = 0; i < axes.size(); i++) {
                g.writeStringField(axes.get(i).key(), r.values().get(i));
            }
            g.writeEndObject();
            g.writeNumberField("seed", r.seed());
            g.writeNumberField("attempted", r.attempted());
            g.writeNumberField("succeeded", r.succeeded());
            g.writeNumberField("failed", r.failed());
            g.writeNumberField("delayed", r.delayed());
            g.writeObjectFieldStart("errors");
            for (Map.Entry<String, Long> e : r.errors().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("connectMs");
            g.writeNumberField("p50", r.p50());
            g.writeNumberField("p99", r.p99());
            g.writeNumberField("max", r.max());
            g.writeEndObject();
            g.writeNumberField("packets", r.packets());
            g.writeNumberField("events", r.events());
            g.writeNumberField("simulatedSeconds", r.simulatedSeconds());
            g.writeNumberField("wallSeconds", r.wallSeconds());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
    }

    void writeCsv(Writer out) throws IOException {
        List<String> errs = errorKeys();
        StringBuilder b = new StringBuilder("index");
        for (Axis a : axes) {
            b.append(',').append(csv(a.key()));
        }
        b.append(",seed,attempted,succeeded,failed,delayed");
        for (String e : errs) {
            b.append(',').append(csv(e));
        }
        b.append(",connectMsP50,connectMsP99,connectMsMax,packets,events,simulatedSeconds,wallSeconds\n");
        for (Row r : rows) {
            b.append(r.index());
            for (String v : r.values()) {
                b.append(',').append(csv(v));
            }
            b.append(',').append(r.seed()).append(',').append(r.attempted()).append(',').append(r.succeeded())
                    .append(',').append(r.failed()).append(',').append(r.delayed());
            for (String e : errs) {
                b.append(',').append(r.errors().getOrDefault(e, 0L));
            }
            b.append(',').append(r.p50()).append(',').append(r.p99()).append(',').append(r.max())
                    .append(',').append(r.packets()).append(',').append(r.events())
                    .append(',').append(r.simulatedSeconds()).append(',').append(r.wallSeconds()).append('\n');
        }
        out.write(b.toString());
        out.flush();
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The human-readable table. */
    void writeTable(PrintWriter out) {
        List<String> head = new ArrayList<>();
        head.add("#");
        for (Axis a : axes) {
            head.add(a.key());
        }
        head.addAll(List.of("seed", "attempted", "failed", "delayed", "p50 ms", "p99 ms", "max ms", "packets",
                "events", "wall s"));
        List<List<String>> lines = new ArrayList<>();
        lines.add(head);
        for (Row r : rows) {
            List<String> l = new ArrayList<>();
            l.add(Integer.toString(r.index()));
            l.addAll(r.values());
            l.add(Long.toString(r.seed()));
            l.add(Long.toString(r.attempted()));
            l.add(Long.toString(r.failed()));
            l.add(Long.toString(r.delayed()));
            l.add(String.format(Locale.ROOT, "%.1f", r.p50()));
            l.add(String.format(Locale.ROOT, "%.1f", r.p99()));
            l.add(String.format(Locale.ROOT, "%.1f", r.max()));
            l.add(Long.toString(r.packets()));
            l.add(Long.toString(r.events()));
            l.add(String.format(Locale.ROOT, "%.2f", r.wallSeconds()));
            lines.add(l);
        }
        int[] w = new int[head.size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        for (List<String> l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append("  ");
                }
                boolean left = i >= 1 && i <= axes.size();
                String f = "%" + (left ? "-" : "") + w[i] + "s";
                b.append(String.format(Locale.ROOT, f, l.get(i)));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    /**
     * Reads a sweep JSON written by {@link #writeJson}.
     *
     * @throws UserError naming the file and what is wrong
     */
    static Sweep read(String file, InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            return new Reader(file, p).sweep();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
                    + ": not a sweep JSON: " + e.getOriginalMessage());
        }
    }

    /** A strict reader of the fixed layout. */
    private static final class Reader {
        private final String file;
        private final JsonParser p;

        Reader(String file, JsonParser p) {
            this.file = file;
            this.p = p;
        }

        private UserError bad(String what) {
            return new UserError(file + ":" + p.currentLocation().getLineNr() + ":"
                    + p.currentLocation().getColumnNr() + ": not a sweep JSON: " + what);
        }

        private void expect(JsonToken t) throws IOException {
            JsonToken got = p.nextToken();
            if (got != t) {
                throw bad("expected " + t + ", got " + got);
            }
        }

        private void field(String name) throws IOException {
            expect(JsonToken.FIELD_NAME);
            if (!p.currentName().equals(name)) {
                throw bad("expected field \"" + name + "\", got \"" + p.currentName() + "\"");
            }
        }

        private String string(String name) throws IOException {
            field(name);
            expect(JsonToken.VALUE_STRING);
            return p.getText();
        }

        private long integer(String name) throws IOException {
            field(name);
            expect(JsonToken.VALUE_NUMBER_INT);
            return p.getLongValue();
        }

        private double number(String name) throws IOException {
            field(name);
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw bad("field \"" + name + "\": expected a number");
            }
            return p.getDoubleValue();
        }

        Sweep sweep() throws IOException {
            expect(JsonToken.START_OBJECT);
            String version = string("svclab");
            String scenario = string("scenario");
            field("vary");
            expect(JsonToken.START_ARRAY);
            List<Axis> axes = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String key = string("key");
                field("values");
                expect(JsonToken.START_ARRAY);
                List<String> values = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    values.add(p.getText());
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw bad("vary values: expected strings");
                }
                expect(JsonToken.END_OBJECT);
                axes.add(new Axis(key, List.copyOf(values)));
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw bad("vary: expected objects");
            }
            int seeds = (int) integer("seeds");
            long combinations = integer("combinations");
            if (seeds < 1 || combinations != combinations(axes, seeds)) {
                throw bad("combinations " + combinations + " do not match the vary values and seeds");
            }
            field("shard");
            JsonToken st = p.nextToken();
            String shard = st == JsonToken.VALUE_NULL ? null : p.getText();
            field("rows");
            expect(JsonToken.START_ARRAY);
            List<Row> rows = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                rows.add(row(axes, seeds, (int) combinations));
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw bad("rows: expected objects");
            }
            expect(JsonToken.END_OBJECT);
            return new Sweep(version, scenario, axes, seeds, shard, rows);
        }

        private Row row(List<Axis> axes, int seeds, int combinations) throws IOException {
            long index = integer("index");
            if (index < 0 || index >= combinations) {
                throw bad("row index " + index + " outside 0.." + (combinations - 1));
            }
            field("values");
            expect(JsonToken.START_OBJECT);
            List<String> values = new ArrayList<>();
            for (Axis a : axes) {
                values.add(string(a.key()));
            }
            expect(JsonToken.END_OBJECT);
            if (!values.equals(valuesOf(axes, seeds, (int) index))) {
                throw bad("row " + index + ": values " + values + " are not those of combination " + index);
            }
            long seed = integer("seed");
            long attempted = integer("attempted");
            long succeeded = integer("succeeded");
            long failed = integer("failed");
            long delayed = integer("delayed");
            field("errors");
            expect(JsonToken.START_OBJECT);
            Map<String, Long> errors = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                expect(JsonToken.VALUE_NUMBER_INT);
                errors.put(k, p.getLongValue());
            }
            field("connectMs");
            expect(JsonToken.START_OBJECT);
            double p50 = number("p50");
            double p99 = number("p99");
            double max = number("max");
            expect(JsonToken.END_OBJECT);
            long packets = integer("packets");
            long events = integer("events");
            double sim = number("simulatedSeconds");
            double wall = number("wallSeconds");
            expect(JsonToken.END_OBJECT);
            return new Row((int) index, List.copyOf(values), seed, attempted, succeeded, failed, delayed, errors,
                    p50, p99, max, packets, events, sim, wall);
        }
    }
}
