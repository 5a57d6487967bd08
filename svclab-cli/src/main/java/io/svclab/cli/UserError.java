package io.svclab.cli;

/** A mistake of the user that is not in a scenario file (a missing output folder, an unknown name): exit 2. */
public final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
