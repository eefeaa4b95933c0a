package dev.tributary.producers;

/** A CSV file that cannot be replayed; the message names the file, the line and the reason. */
public final class CsvFormatException extends RuntimeException {
    public CsvFormatException(String message) {
        super(message);
    }
}
