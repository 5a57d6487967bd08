package io.svclab.scenario;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario could not be loaded. Carries every problem found, sorted by place; the message is one
 * line per problem, formatted {@code FILE:LINE:COL: FIELD: MESSAGE}.
 */
public final class ScenarioException extends RuntimeException {

    private final List<Problem> problems;

    /** An exception for a non-empty list of problems, kept in the given order. */
    public ScenarioException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they are printed. */
    public List<Problem> problems() {
        return problems;
    }
}
