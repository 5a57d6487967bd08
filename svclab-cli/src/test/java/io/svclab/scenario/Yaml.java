package io.svclab.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: load text and collect the problem lines. */
final class Yaml {

    private Yaml() {
    }

    static Scenario load(String yaml, String... sets) {
        return ScenarioLoader.loadText("s.yaml", yaml, List.of(sets));
    }

    static List<String> problems(String yaml, String... sets) {
        try {
            ScenarioLoader.loadText("s.yaml", yaml, List.of(sets));
        } catch (ScenarioException e) {
            return e.problems().stream().map(Problem::toString).collect(Collectors.toList());
        }
        throw new AssertionError("expected a ScenarioException for: " + yaml);
    }

    static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }
}
