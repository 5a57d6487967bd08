package io.svclab.scenario;

/**
 * One thing wrong with a scenario, with its place.
 *
 * @param file the file label, or {@code --set} for a problem in a command-line override
 * @param line 1-based line (for {@code --set}: the 1-based position of the override)
 * @param column 1-based column
 * @param field the path of the field ({@code clients[0].connectionsPerSecond}), or {@code (yaml)}
 *     for a syntax error
 * @param message what is wrong, in words for the user
 */
public record Problem(String file, int line, int column, String field, String message) {

    /** {@code FILE:LINE:COL: FIELD: MESSAGE}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}
