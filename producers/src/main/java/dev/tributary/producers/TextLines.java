package dev.tributary.producers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * The lines of a UTF-8 text file, read one ahead with blank lines skipped, each known by its line
 * number, for the file readers that turn lines into records. A file that is not text fails with
 * the {@link JsonLines#notText} message; a malformed line is reported through {@link #error}.
 */
final class TextLines implements AutoCloseable {
    private final Path file;
    private final BufferedReader reader;
    private long lineNumber;
    private String current;

    private TextLines(Path file) throws IOException {
        this.file = file;
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /** Opens the file; nothing is read yet. */
    static TextLines open(Path file) throws IOException {
        return new TextLines(file);
    }

    /** Reads the next line as it is, blank or not (null at the end): for a header that must come first. */
    String readRaw() {
        try {
            current = reader.readLine();
            lineNumber++;
            return current;
        } catch (CharacterCodingException e) {
            throw JsonLines.notText(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " at line " + lineNumber, e);
        }
    }

    /** Moves to the next non-blank line; {@link #current} is null at the end of the file. */
    void advance() {
        do {
            readRaw();
        } while (current != null && current.isBlank());
    }

    /** The line read last, null at the end of the file. */
    String current() {
        return current;
    }

    /** Replaces the line read last, for a reader that strips something (a byte order mark) off it. */
    void replaceCurrent(String line) {
        current = line;
    }

    boolean hasCurrent() {
        return current != null;
    }

    /** The line read last, for a reader's {@code next()}; NoSuchElementException at the end of the file. */
    String require() {
        if (current == null) {
            throw new NoSuchElementException();
        }
        return current;
    }

    /** The number of the line read last, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /** A malformed line's error: the file's name, the line number and the reason. */
    CsvFormatException error(String reason) {
        return new CsvFormatException(file.getFileName() + " line " + lineNumber + ": " + reason);
    }

    /** Closes the file, quietly: a reader that has stopped has nothing left to read. */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing left to read
        }
    }
}
