package io.svclab.diagnose;

/**
 * A dump line that cannot be read: the file, the 1-based line (0 when the problem is the whole
 * file), what was expected, and the offending line. The message is
 * {@code FILE:LINE: what was expected: <the line>}.
 */
public final class DumpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    public DumpException(String file, int line, String expected, String text) {
        super(file + (line > 0 ? ":" + line : "") + ": " + expected + (line > 0 ? ": " + text : ""), null, false, false);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
