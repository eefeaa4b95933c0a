package dev.tributary.database;

/** A database trigger or sink that cannot work; the message is one sentence saying what to set. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
