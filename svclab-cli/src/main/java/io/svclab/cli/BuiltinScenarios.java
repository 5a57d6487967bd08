package io.svclab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The scenarios shipped in the jar ({@code builtin:NAME}), listed in {@code /scenarios/index.txt}. */
public final class BuiltinScenarios {

    private BuiltinScenarios() {
    }

    /** Name → one-line summary, in the index's order. */
    public static Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        String index = read("index.txt");
        for (String line : index.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            out.put(line.substring(0, tab).trim(), line.substring(tab + 1).trim());
        }
        return out;
    }

    /** The YAML of a built-in scenario. */
    public static String yaml(String name) {
        if (!list().containsKey(name)) {
            throw new UserError("no built-in scenario " + name + " (svclab scenarios lists them: "
                    + String.join(", ", list().keySet()) + ")");
        }
        return read(name + ".yaml");
    }

    private static String read(String file) {
        try (InputStream in = BuiltinScenarios.class.getResourceAsStream("/scenarios/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /scenarios/" + file);
            }
            StringBuilder b = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    b.append(l).append('\n');
                }
            }
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
