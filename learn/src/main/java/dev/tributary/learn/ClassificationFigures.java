package dev.tributary.learn;

import java.util.Map;

/**
 * The figures of a binary classifier's predictions, class 1 being positive: the confusion counts
 * and, from them, accuracy, precision, recall and F1; and the log loss of one predicted
 * probability, clipped to [{@link #EPS}, 1 − {@link #EPS}]. This is where these figures are
 * computed: the learners' progressive metrics, the offline evaluation and the promotion window all
 * use it, so they agree to the last digit. A ratio with a zero denominator reads 0. Not thread-safe.
 *
 * <pre>{@code
 * ClassificationFigures f = new ClassificationFigures();
 * f.add(margin >= 0, y == 1.0);
 * double loss = ClassificationFigures.logLoss(probability, y);
 * Map<String, Double> v = new LinkedHashMap<>();
 * f.putInto(v, Map.of("logloss", meanLoss));   // accuracy, logloss, precision, recall, f1
 * }</pre>
 */
public final class ClassificationFigures {
    /** How far from 0 and 1 a probability is clipped for the log loss. */
    public static final double EPS = 1e-15;

    private long tp;
    private long fp;
    private long tn;
    private long fn;

    /** Counts one prediction. */
    public void add(boolean predictedPositive, boolean positive) {
        if (predictedPositive) {
            if (positive) {
                tp++;
            } else {
                fp++;
            }
        } else if (positive) {
            fn++;
        } else {
            tn++;
        }
    }

    /** Predictions counted. */
    public long count() {
        return tp + fp + tn + fn;
    }

    /**
     * Puts {@code accuracy}, then {@code between} (the log losses, for instance), then {@code
     * precision}, {@code recall} and {@code f1} into {@code figures}, in that order.
     */
    public void putInto(Map<String, Double> figures, Map<String, Double> between) {
        figures.put("accuracy", ratio(tp + tn, count()));
        figures.putAll(between);
        figures.put("precision", ratio(tp, tp + fp));
        figures.put("recall", ratio(tp, tp + fn));
        figures.put("f1", ratio(2.0 * tp, 2.0 * tp + fp + fn));
    }

    /** The log loss of P(y = 1) = {@code probability} for the label {@code y} (0 or 1), clipped. */
    public static double logLoss(double probability, double y) {
        double p = Math.min(Math.max(probability, EPS), 1.0 - EPS);
        return y == 1.0 ? -Math.log(p) : -Math.log(1.0 - p);
    }

    /** {@code numerator / denominator}, 0 when the denominator is 0. */
    public static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0.0 : numerator / denominator;
    }

    long tp() {
        return tp;
    }

    long fp() {
        return fp;
    }

    long tn() {
        return tn;
    }

    long fn() {
        return fn;
    }

    /** Continues from saved counts. */
    void set(long tp, long fp, long tn, long fn) {
        this.tp = tp;
        this.fp = fp;
        this.tn = tn;
        this.fn = fn;
    }
}
