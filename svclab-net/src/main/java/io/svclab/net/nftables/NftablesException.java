package io.svclab.net.nftables;

/**
 * An {@code nft -f} text was refused: nothing of it was applied. The message names the line
 * (counted from 1 within the text given), e.g. {@code line 3: unsupported statement "log"}.
 */
public final class NftablesException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    /** An error on one line of the text. */
    public NftablesException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    /** The 1-based line number within the text. */
    public int line() {
        return line;
    }
}
