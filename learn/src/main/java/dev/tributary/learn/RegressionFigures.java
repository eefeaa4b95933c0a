package dev.tributary.learn;

import java.util.Map;

/**
 * The figures of a regression's predictions from their sums: MAE, RMSE and R² = 1 − SSE/SST (0
 * when the labels are constant). This is where they are computed, for the learners' progressive
 * metrics and the offline evaluation alike.
 *
 * <pre>{@code
 * RegressionFigures.putInto(figures, sumAbsError, sumSquaredError, labelSst, count);  // mae, rmse, r2, count
 * }</pre>
 */
public final class RegressionFigures {
    private RegressionFigures() {}

    /**
     * Puts {@code mae}, {@code rmse}, {@code r2} and {@code count} into {@code figures}, in that order.
     *
     * @param sumAbsError the sum of the absolute errors
     * @param sumSquaredError the sum of the squared errors (SSE)
     * @param labelSst the sum of the squared deviations of the labels from their mean (SST)
     * @param count the predictions summed
     */
    public static void putInto(
            Map<String, Double> figures, double sumAbsError, double sumSquaredError, double labelSst, long count) {
        figures.put("mae", ClassificationFigures.ratio(sumAbsError, count));
        figures.put("rmse", rmse(sumSquaredError, count));
        figures.put("r2", labelSst > 0 ? 1.0 - sumSquaredError / labelSst : 0.0);
        figures.put("count", (double) count);
    }

    /** The root of the mean squared error, 0 for no predictions. */
    public static double rmse(double sumSquaredError, long count) {
        return Math.sqrt(ClassificationFigures.ratio(sumSquaredError, count));
    }
}
