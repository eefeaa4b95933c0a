package dev.tributary.evaluation;

/** Receives the rows of a {@link RowSource}: numeric values, categories (null entries: absent; the array is null without categorical features) and the label. */
@FunctionalInterface
public interface RowSink {
    void accept(double[] x, String[] categories, double y);
}
