package io.svclab.scenario;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads and validates scenario files (contract §2). The YAML is composed into a node tree with
 * positions, {@code --set KEY=VALUE} overrides are applied to that tree, and the tree is mapped to
 * a {@link Scenario}. Every problem found is reported at once, as a {@link ScenarioException}
 * whose lines read {@code FILE:LINE:COL: FIELD: MESSAGE}; no other exception escapes.
 */
public final class ScenarioLoader {

    /** Field name of problems in the YAML syntax itself. */
    public static final String YAML_FIELD = "(yaml)";

    /** Files larger than this are refused (a scenario is a few kilobytes). */
    private static final int MAX_BYTES = 8 << 20;

    private static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> p.file().equals(SetOverrides.LABEL))
            .thenComparingInt(Problem::line)
            .thenComparingInt(Problem::column)
            .thenComparing(Problem::field)
            .thenComparing(Problem::message);

    /** The YAML 1.2 core schema (stateless, shared). */
    private static final CoreSchema SCHEMA = new CoreSchema();

    private ScenarioLoader() {
    }

    /**
     * Loads a scenario file; its path as given is the file label in messages.
     *
     * @param file the YAML file
     * @param sets {@code KEY=VALUE} overrides, applied in order
     * @throws ScenarioException listing every problem, sorted by place
     */
    public static Scenario load(Path file, List<String> sets) {
        String label = String.valueOf(file);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw fail(new Problem(label, 1, 1, "(file)", "cannot read: larger than " + (MAX_BYTES >> 20) + " MiB"));
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ScenarioException) {
                throw (ScenarioException) e;
            }
            throw fail(new Problem(label, 1, 1, "(file)", "cannot read: " + describe(e)));
        }
        return loadText(label, decode(label, bytes), sets);
    }

    /**
     * Loads a scenario from text.
     *
     * @param label the file label used in messages ({@code builtin:seed-incident})
     * @param yaml the YAML text
     * @param sets {@code KEY=VALUE} overrides, applied in order
     * @throws ScenarioException listing every problem, sorted by place
     */
    public static Scenario loadText(String label, String yaml, List<String> sets) {
        List<Problem> problems = new ArrayList<>();
        Scenario s;
        try {
            s = map(label, yaml == null ? "" : yaml, sets == null ? List.of() : sets, problems);
        } catch (RuntimeException | StackOverflowError e) {
            problems.add(new Problem(label, 1, 1, YAML_FIELD, "cannot load: " + describe(e)));
            s = null;
        }
        if (!problems.isEmpty() || s == null) {
            if (problems.isEmpty()) {
                problems.add(new Problem(label, 1, 1, YAML_FIELD, "cannot load"));
            }
            problems.sort(ORDER);
            throw new ScenarioException(problems);
        }
        return s;
    }

    /** The scenario with every field at its default. */
    public static Scenario defaults() {
        return loadText("defaults", "", List.of());
    }

    private static Scenario map(String label, String yaml, List<String> sets, List<Problem> problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false)
                .setSchema(SCHEMA).setCodePointLimit(MAX_BYTES).build();
        Node root;
        try {
            Optional<Node> composed = new Compose(settings).composeString(yaml);
            root = composed.orElse(null);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> m = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            int line = m.map(k -> k.getLine() + 1).orElse(1);
            int col = m.map(k -> k.getColumn() + 1).orElse(1);
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null && !e.getContext().isBlank() ? " (" + firstLine(e.getContext()) + ")" : "";
            problems.add(new Problem(label, line, col, YAML_FIELD, firstLine(what) + context));
            return null;
        } catch (YamlEngineException e) {
            problems.add(new Problem(label, 1, 1, YAML_FIELD, firstLine(e.getMessage())));
            return null;
        }
        root = new SetOverrides(problems).apply(root, sets);
        return new NodeMapper(label, problems).map(root);
    }

    /** Decodes UTF-8 strictly; a bad byte becomes a problem at its line and column. */
    private static String decode(String label, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw fail(new Problem(label, line, at - lineStart + 1, "(file)",
                    String.format("not valid UTF-8 (byte 0x%02x)", bytes[at] & 0xff)));
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "syntax error";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : firstLine(m);
    }

    private static ScenarioException fail(Problem p) {
        return new ScenarioException(List.of(p));
    }
}
