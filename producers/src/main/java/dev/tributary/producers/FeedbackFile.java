package dev.tributary.producers;

import dev.tributary.schema.Feedback;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.FeedbackDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A file of labels for events scored earlier, one {@link Feedback} per line: either JSON lines
 * ({@code {"id": "imp-81", "model": "ctr", "label": 1}}, {@code "timestamp"} optional) or a CSV
 * file whose header names the columns {@code id}, {@code model}, {@code label} and optionally
 * {@code timestamp}, in any order. The first non-blank line tells which. Every line passes the
 * score function's {@link FeedbackDecoder}; a malformed one stops the reading with a {@link
 * CsvFormatException} naming the file, the line and the reason.
 *
 * <pre>{@code
 * long lines = FeedbackFile.validate(file, f -> knownModels.contains(f.getModel()) ? null : "unknown model");
 * try (FeedbackFile feedback = FeedbackFile.open(file)) {
 *   feedback.forEachRemaining(publisher::send);
 * }
 * }</pre>
 */
public final class FeedbackFile implements Iterator<Feedback>, AutoCloseable {
    /** A check of one parsed line beyond its form: null when it is fine, else the reason. */
    @FunctionalInterface
    public interface Check {
        String problem(Feedback feedback);
    }

    static final Set<String> CSV_COLUMNS = Set.of("id", "model", "label", "timestamp");
    private final AvroCodec<Feedback> avro = AvroCodec.of(Feedback.class);
    private final FeedbackDecoder decoder = new FeedbackDecoder(EventLimits.DEFAULT);

    private final TextLines lines;
    private final boolean json;
    private final int[] columns; // CSV: the index of id, model, label, timestamp (-1 when absent)
    private final int width;

    private FeedbackFile(Path file) throws IOException {
        this.lines = TextLines.open(file);
        try {
            lines.advance();
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
        String first = lines.current();
        if (first == null) {
            lines.close();
            throw new CsvFormatException(file.getFileName() + ": the file is empty; expected JSON lines "
                    + "{\"id\": ..., \"model\": ..., \"label\": ...} or a CSV header id,model,label");
        }
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
            lines.replaceCurrent(first);
        }
        this.json = first.stripLeading().startsWith("{");
        if (json) {
            columns = null;
            width = 0;
            return;
        }
        List<String> header = CsvReplay.split(first).stream().map(String::trim).toList();
        for (String column : header) {
            if (!CSV_COLUMNS.contains(column) || header.indexOf(column) != header.lastIndexOf(column)) {
                lines.close();
                throw lines.error("the header has "
                        + (CSV_COLUMNS.contains(column)
                                ? "'" + column + "' twice"
                                : "an unknown column '" + column + "'")
                        + "; expected id,model,label and optionally timestamp");
            }
        }
        this.columns = new int[] {
            header.indexOf("id"), header.indexOf("model"), header.indexOf("label"), header.indexOf("timestamp")
        };
        for (int i = 0; i < 3; i++) {
            if (columns[i] < 0) {
                lines.close();
                throw lines.error("the header has no column '"
                        + List.of("id", "model", "label").get(i)
                        + "'; expected id,model,label and optionally timestamp");
            }
        }
        this.width = header.size();
        lines.advance();
    }

    /** @throws CsvFormatException if the file cannot be read or its first line is neither JSON nor a good header */
    public static FeedbackFile open(Path file) {
        try {
            return new FeedbackFile(file);
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Reads the whole file once and applies {@code check} to every line, so that a bad file is refused
     * before anything is sent. Returns the number of feedback lines.
     */
    public static long validate(Path file, Check check) {
        long lines = 0;
        try (FeedbackFile feedback = open(file)) {
            while (feedback.hasNext()) {
                long at = feedback.lines.lineNumber();
                String problem = check.problem(feedback.next());
                if (problem != null) {
                    throw new CsvFormatException(file.getFileName() + " line " + at + ": " + problem);
                }
                lines++;
            }
        }
        return lines;
    }

    /** Whether the file is JSON lines (else CSV). */
    public boolean isJson() {
        return json;
    }

    @Override
    public boolean hasNext() {
        return lines.hasCurrent();
    }

    @Override
    public Feedback next() {
        String line = lines.require();
        Feedback feedback;
        try {
            feedback = json ? decode(line.getBytes(StandardCharsets.UTF_8)) : parseCsv(CsvReplay.split(line));
        } catch (DecodeException e) {
            throw lines.error(e.getMessage());
        }
        lines.advance();
        return feedback;
    }

    /** A CSV row as the feedback it stands for, through the same decoder (as Avro) as a JSON line. */
    private Feedback parseCsv(List<String> fields) {
        if (fields.size() != width) {
            throw new DecodeException("has " + fields.size() + " fields, the header has " + width);
        }
        String label = fields.get(columns[2]).trim();
        String timestamp = columns[3] < 0 ? "" : fields.get(columns[3]).trim();
        double value;
        long at;
        try {
            value = Double.parseDouble(label);
        } catch (NumberFormatException e) {
            throw new DecodeException("'label' must be a number (0 or 1 for classifiers), got '" + label + "'");
        }
        try {
            at = timestamp.isEmpty() ? 0 : Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new DecodeException("'timestamp' must be epoch milliseconds (an integer), got '" + timestamp + "'");
        }
        return decode(avro.encode(new Feedback(
                fields.get(columns[0]).trim(), fields.get(columns[1]).trim(), value, at)));
    }

    /** The score function's own decoder; a timestamp left out stays 0 (the time the record is sent). */
    private Feedback decode(byte[] value) {
        return decoder.decode(value, 0);
    }

    @Override
    public void close() {
        lines.close();
    }
}
