package dev.tributary.producers;

import dev.tributary.schema.Event;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** A file of JSON events, one a line (blank lines skipped), read as {@code produce --json} sends it. */
public final class JsonLines {
    private JsonLines() {}

    /**
     * Reads the whole file first, as {@link CsvReplay#validate} does: every line must be an event the
     * decoder accepts and that {@code check} finds no problem with.
     *
     * @param check why an event would be refused (its model unknown, a feature missing, ...), or null
     * @return the number of events
     * @throws CsvFormatException naming the file, the line and the reason
     */
    public static long validate(Path file, EventDecoder decoder, Function<Event, String> check) {
        long events = 0;
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String problem;
                try {
                    problem = check.apply(decoder.decode(line.getBytes(StandardCharsets.UTF_8), 0L));
                } catch (DecodeException e) {
                    problem = e.getMessage();
                }
                if (problem != null) {
                    throw new CsvFormatException(file.getFileName() + ":" + lineNumber + ": " + problem);
                }
                events++;
            }
        } catch (CharacterCodingException e) {
            throw notText(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return events;
    }

    /** The error for a file that is not UTF-8 text. */
    public static CsvFormatException notText(Path file) {
        return new CsvFormatException(file.getFileName() + " is not UTF-8 text (a binary file?): give a text file of "
                + "events, one a line");
    }
}
