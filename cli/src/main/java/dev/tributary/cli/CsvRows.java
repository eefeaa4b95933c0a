package dev.tributary.cli;

import dev.tributary.evaluation.Evaluation;
import dev.tributary.evaluation.RowSink;
import dev.tributary.evaluation.RowSource;
import dev.tributary.learn.Task;
import dev.tributary.producers.CsvFormatException;
import dev.tributary.producers.CsvReplay;
import dev.tributary.schema.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV file as a {@link RowSource} for {@code evaluate}: {@link #scan} reads it once with
 * {@link CsvReplay} (line-numbered errors, labels checked for the task, rows counted), and each
 * replay reads it again, row by row, so the file is never held in memory.
 *
 * <pre>{@code
 * CsvRows rows = CsvRows.scan(Path.of("spambase.csv"), "is_spam", List.of(), List.of(), Task.LOGISTIC);
 * Evaluation.run(rows, LearnerConfig.defaults(Task.LOGISTIC, rows.features()));
 * }</pre>
 */
final class CsvRows implements RowSource {
    private final Path file;
    private final String label;
    private final List<String> numeric;
    private final List<String> categorical;
    private final int rows;

    private CsvRows(Path file, String label, List<String> numeric, List<String> categorical, int rows) {
        this.file = file;
        this.label = label;
        this.numeric = List.copyOf(numeric);
        this.categorical = List.copyOf(categorical);
        this.rows = rows;
    }

    /**
     * Reads the whole file once and checks it.
     *
     * @param features    the numeric features to use, or empty for every column but the label and the categorical ones
     * @throws CliException for a missing column, a label that does not suit the task, or too few rows
     */
    static CsvRows scan(Path file, String label, List<String> features, List<String> categorical, Task task) {
        Set<String> cats = new LinkedHashSet<>(categorical);
        List<String> numeric;
        long count = 0;
        try (CsvReplay replay = CsvReplay.open(file, "evaluate", label, cats)) {
            List<String> columns = replay.featureColumns();
            if (features.isEmpty()) {
                numeric = new ArrayList<>(columns);
                numeric.removeAll(cats);
            } else {
                numeric = new ArrayList<>(features);
                for (String f : numeric) {
                    if (!columns.contains(f) || cats.contains(f)) {
                        throw new CliException(file.getFileName() + ": no numeric column '" + f
                                + "' for --features; the columns are " + columns);
                    }
                }
            }
            if (numeric.isEmpty() && cats.isEmpty()) {
                throw new CliException(
                        file.getFileName() + ": there are no feature columns besides the label '" + label + "'");
            }
            while (replay.hasNext()) {
                Event e = replay.next();
                double y = e.getLabel();
                if (task.isClassifier() && y != 0.0 && y != 1.0) {
                    throw new CliException(file.getFileName() + " line " + lineOf(e) + ": the label '" + label + "' is "
                            + EvaluationText.number(y) + ", but " + Evaluation.describe(task)
                            + " needs labels 0 and 1");
                }
                count++;
            }
        } catch (CsvFormatException e) {
            String message = e.getMessage();
            if (message != null && message.contains("column '" + label + "' is")) {
                throw new CliException(
                        message.replaceFirst(" \\(declare it categorical if it is a category\\)$", "")
                                + "; the label must be a number" + (task.isClassifier() ? " (0 or 1)" : ""),
                        e);
            }
            throw e;
        }
        if (count < 5) {
            throw new CliException(file.getFileName() + " has " + count + " data rows; evaluate needs at least 5");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new CliException(file.getFileName() + " has " + count + " data rows; evaluate takes at most "
                    + (Integer.MAX_VALUE - 8));
        }
        return new CsvRows(file, label, numeric, categorical, (int) count);
    }

    private static String lineOf(Event e) {
        String id = e.getId();
        int colon = id.lastIndexOf(':');
        return colon < 0 ? id : id.substring(colon + 1);
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public List<String> features() {
        return numeric;
    }

    @Override
    public List<String> categorical() {
        return categorical;
    }

    @Override
    public String target() {
        return label;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public void replay(RowSink sink) {
        double[] x = new double[numeric.size()];
        String[] c = categorical.isEmpty() ? null : new String[categorical.size()];
        try (CsvReplay replay = CsvReplay.open(file, "evaluate", label, new LinkedHashSet<>(categorical))) {
            while (replay.hasNext()) {
                Event e = replay.next();
                Map<String, Double> values = e.getFeatures();
                for (int j = 0; j < x.length; j++) {
                    x[j] = values.get(numeric.get(j));
                }
                for (int j = 0; c != null && j < c.length; j++) {
                    String v = e.getCategories().get(categorical.get(j));
                    c[j] = v == null || v.isEmpty() ? null : v;
                }
                sink.accept(x, c, e.getLabel());
            }
        }
    }
}
