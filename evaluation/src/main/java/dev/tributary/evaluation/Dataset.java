package dev.tributary.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * Rows of a labelled stream in order, already parsed: numeric features as {@code double[]}, optional
 * categorical features as strings (null = absent), and the label. Reading files is the caller's
 * business (the CLI uses {@code CsvReplay}, the tests a small CSV reader); this is plain data.
 *
 * <pre>{@code
 * Dataset data = new Dataset("toy", List.of("x1", "x2"), "y",
 *         new double[][] {{1, 2}, {3, 4}}, new double[] {0, 1});
 * Dataset first = data.slice(0, 1);
 * }</pre>
 *
 * @param name        a name for reports (e.g. the file name)
 * @param features    numeric feature names, in the order of each row of {@code x}
 * @param categorical categorical feature names, in the order of each row of {@code categories}; may be empty
 * @param target      the label's name
 * @param x           numeric features per row, each finite
 * @param categories  categorical values per row (null entries are absent values), or null when there are none
 * @param y           the label of each row, finite
 */
public record Dataset(
        String name,
        List<String> features,
        List<String> categorical,
        String target,
        double[][] x,
        String[][] categories,
        double[] y)
        implements RowSource {

    public Dataset {
        if (features == null || x == null || y == null) {
            throw new IllegalArgumentException("features, x and y are required");
        }
        features = List.copyOf(features);
        categorical = categorical == null ? List.of() : List.copyOf(categorical);
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " rows, y has " + y.length);
        }
        if (categorical.isEmpty()) {
            categories = null;
        } else if (categories == null || categories.length != y.length) {
            throw new IllegalArgumentException(
                    "categories must hold one row per label when there are categorical features");
        }
        for (int r = 0; r < y.length; r++) {
            if (x[r].length != features.size()) {
                throw new IllegalArgumentException(
                        "row " + r + " has " + x[r].length + " numeric values, expected " + features.size());
            }
            if (categories != null && categories[r].length != categorical.size()) {
                throw new IllegalArgumentException("row " + r + " has " + categories[r].length
                        + " categorical values, expected " + categorical.size());
            }
        }
    }

    /** A dataset of numeric features only. */
    public Dataset(String name, List<String> features, String target, double[][] x, double[] y) {
        this(name, features, List.of(), target, x, null, y);
    }

    @Override
    public int rows() {
        return y.length;
    }

    @Override
    public void replay(RowSink sink) {
        for (int r = 0; r < y.length; r++) {
            sink.accept(x[r], categoriesOf(r), y[r]);
        }
    }

    /** Rows {@code [from, to)} as a new dataset (the row arrays are shared, not copied). */
    public Dataset slice(int from, int to) {
        return new Dataset(
                name,
                features,
                categorical,
                target,
                Arrays.copyOfRange(x, from, to),
                categories == null ? null : Arrays.copyOfRange(categories, from, to),
                Arrays.copyOfRange(y, from, to));
    }

    /** The categorical values of row r, or null when there are none. */
    String[] categoriesOf(int r) {
        return categories == null ? null : categories[r];
    }
}
