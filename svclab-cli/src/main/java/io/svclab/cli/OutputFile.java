package io.svclab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written all at once: checked before the run, written to a temporary sibling,
 * then moved into place, so a failed run never leaves a partial file.
 */
public final class OutputFile {

    private final Path path;

    private OutputFile(Path path) {
        this.path = path;
    }

    /**
     * Checks that the file can be written (its folder exists and is writable).
     *
     * @throws UserError naming the option and the problem
     */
    public static OutputFile check(String option, String file) {
        Path p = Path.of(file).toAbsolutePath();
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError(option + " " + file + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError(option + " " + file + ": folder " + dir + " is not writable");
        }
        if (Files.isDirectory(p)) {
            throw new UserError(option + " " + file + ": is a folder");
        }
        return new OutputFile(p);
    }

    /** Something that writes the whole content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public void write(Content content) throws IOException {
        Path tmp = Files.createTempFile(path.getParent(), "." + path.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                // a temporary file is private to its owner; the output is an ordinary file (0644)
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
