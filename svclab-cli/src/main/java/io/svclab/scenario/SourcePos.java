package io.svclab.scenario;

/**
 * A place in a scenario source: the file label, and a 1-based line and column.
 *
 * @param file the file label ({@code scenario.yaml}, {@code builtin:seed-incident}, {@code --set})
 * @param line 1-based line
 * @param column 1-based column
 */
public record SourcePos(String file, int line, int column) {

    /** {@code file:line:column}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
