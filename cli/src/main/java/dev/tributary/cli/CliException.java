package dev.tributary.cli;

/** A failure the user can act on; its message is the one sentence shown on stderr (exit code 1). */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
