package dev.tributary.producers;

import dev.tributary.schema.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a CSV file (a header line, then one event per line) as events for one model. Every
 * column but the label is a feature: numeric unless named as categorical. A malformed line
 * stops the replay with a {@link CsvFormatException} naming the line and the reason.
 *
 * <pre>{@code
 * try (CsvReplay csv = CsvReplay.open(Path.of("diamonds.csv"), "prices", "price", Set.of())) {
 *   csv.forEachRemaining(publisher::send);
 * }
 * }</pre>
 */
public final class CsvReplay implements Iterator<Event>, AutoCloseable {
    private final Path file;
    private final String model;
    private final TextLines lines;
    private final List<String> header;
    private final int labelColumn;
    private final boolean[] categorical;

    private CsvReplay(Path file, String model, String labelColumn, Set<String> categoricalColumns) throws IOException {
        this.file = file;
        this.model = model;
        this.lines = TextLines.open(file);
        String first = readHeader();
        if (first == null || first.isBlank()) {
            lines.close();
            throw new CsvFormatException(file + ": the file is empty; expected a header line of column names");
        }
        this.header = split(first.startsWith("\uFEFF") ? first.substring(1) : first);
        this.labelColumn = labelColumn == null ? -1 : header.indexOf(labelColumn);
        if (labelColumn != null && this.labelColumn < 0) {
            lines.close();
            throw new CsvFormatException(
                    file + ": no column '" + labelColumn + "' for the label; the header has " + header);
        }
        this.categorical = new boolean[header.size()];
        for (String c : categoricalColumns) {
            int i = header.indexOf(c);
            if (i < 0) {
                lines.close();
                throw new CsvFormatException(file + ": no categorical column '" + c + "'; the header has " + header);
            }
            categorical[i] = true;
        }
        lines.advance();
    }

    private String readHeader() {
        try {
            return lines.readRaw();
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    /**
     * @param labelColumn the column holding the label, or null for unlabelled events
     * @param categoricalColumns columns whose values are categories, not numbers
     */
    public static CsvReplay open(Path file, String model, String labelColumn, Set<String> categoricalColumns) {
        try {
            return new CsvReplay(file, model, labelColumn, categoricalColumns);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw JsonLines.notText(file);
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Reads the whole file once, so a malformed file is refused before anything is published. Returns the row count. */
    public static long validate(Path file, String labelColumn, Set<String> categoricalColumns) {
        long rows = 0;
        try (CsvReplay csv = open(file, "validation", labelColumn, categoricalColumns)) {
            while (csv.hasNext()) {
                csv.next();
                rows++;
            }
        }
        return rows;
    }

    /** Feature columns: all but the label. */
    public List<String> featureColumns() {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (i != labelColumn) {
                columns.add(header.get(i));
            }
        }
        return columns;
    }

    @Override
    public boolean hasNext() {
        return lines.hasCurrent();
    }

    @Override
    public Event next() {
        List<String> fields = split(lines.require());
        if (fields.size() != header.size()) {
            throw error("has " + fields.size() + " fields, the header has " + header.size());
        }
        Map<String, Double> numeric = new HashMap<>(fields.size() * 2);
        Map<String, String> categories = new HashMap<>();
        Double label = null;
        for (int i = 0; i < fields.size(); i++) {
            String value = fields.get(i).trim();
            if (categorical[i]) {
                categories.put(header.get(i), value);
                continue;
            }
            double number = parse(value, header.get(i));
            if (i == labelColumn) {
                label = number;
            } else {
                numeric.put(header.get(i), number);
            }
        }
        Event event = Event.newBuilder()
                .setId(file.getFileName() + ":" + lines.lineNumber())
                .setModel(model)
                .setFeatures(numeric)
                .setCategories(categories)
                .setLabel(label)
                .setTimestamp(System.currentTimeMillis())
                .build();
        lines.advance();
        return event;
    }

    private double parse(String value, String column) {
        if (value.isEmpty()) {
            throw error("column '" + column + "' is empty");
        }
        try {
            double number = Double.parseDouble(value);
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw error("column '" + column + "' is " + value + "; only finite numbers can be features or labels");
            }
            return number;
        } catch (NumberFormatException e) {
            throw error("column '" + column + "' is '" + abbreviate(value) + "', not a number"
                    + " (declare it categorical if it is a category)");
        }
    }

    private CsvFormatException error(String reason) {
        return lines.error(reason);
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 27) + "...";
    }

    /** Splits one line on commas; double quotes group a field and "" is a literal quote. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    @Override
    public void close() {
        lines.close();
    }
}
