package io.svclab.net.iptables;

/**
 * A restore text was refused: nothing of it was applied. The message names the line (counted
 * from 1 within the text given) and what was wrong with it, e.g.
 * {@code line 4: unsupported match "-m recent"}.
 */
public final class IptablesRestoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    /** An error on one line of the text. */
    public IptablesRestoreException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    /** The 1-based line number within the restore text. */
    public int line() {
        return line;
    }
}
