package dev.tributary.evaluation;

import dev.tributary.learn.ClassificationFigures;
import dev.tributary.learn.RegressionFigures;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of a set of predictions, computed exactly from stored arrays. Keys match the
 * learners' progressive metrics ({@code dev.tributary.learn.ProgressiveMetrics}): regression
 * {@code mae, rmse, r2, count}; classification {@code accuracy, logloss} (when probabilities are
 * given){@code , precision, recall, f1, auc, count}, class 1 being positive.
 *
 * <pre>{@code
 * Map<String, Double> figures = Scores.classification(predicted, scores, probabilities, labels, n);
 * double auc = Scores.auc(scores, labels, n);
 * }</pre>
 */
public final class Scores {

    private Scores() {}

    /**
     * @param predicted     the predicted class of each example, 0 or 1
     * @param scores        a score increasing with the belief in class 1 (margin or probability), for the AUC
     * @param probabilities P(y=1) of each example, or null when the model gives none (no log loss then)
     * @param labels        the true labels, 0 or 1
     * @param n             how many of the leading entries to use
     */
    public static Map<String, Double> classification(
            int[] predicted, double[] scores, double[] probabilities, double[] labels, int n) {
        ClassificationFigures counts = new ClassificationFigures();
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            counts.add(predicted[i] == 1, labels[i] == 1.0);
            if (probabilities != null) {
                logLoss += ClassificationFigures.logLoss(probabilities[i], labels[i]);
            }
        }
        return figures(counts, probabilities != null ? ratio(logLoss, n) : null, auc(scores, labels, n));
    }

    /** A classifier's figures in the learners' order: accuracy, logloss (when given), precision, recall, f1, auc, count. */
    static Map<String, Double> figures(ClassificationFigures counts, Double logLoss, double auc) {
        Map<String, Double> v = new LinkedHashMap<>();
        counts.putInto(v, logLoss == null ? Map.of() : Map.of("logloss", logLoss));
        v.put("auc", auc);
        v.put("count", (double) counts.count());
        return v;
    }

    /** MAE, RMSE and R² = 1 − SSE/SST (SST around the mean of these labels; 0 when the labels are constant). */
    public static Map<String, Double> regression(double[] predictions, double[] labels, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (labels[i] - mean) / (i + 1);
        }
        double abs = 0;
        double sse = 0;
        double sst = 0;
        for (int i = 0; i < n; i++) {
            double e = predictions[i] - labels[i];
            abs += Math.abs(e);
            sse += e * e;
            double d = labels[i] - mean;
            sst += d * d;
        }
        Map<String, Double> v = new LinkedHashMap<>();
        RegressionFigures.putInto(v, abs, sse, sst, n);
        return v;
    }

    /**
     * Area under the ROC curve, exactly: the probability that a random positive scores above a
     * random negative, ties counting one half (the Mann–Whitney statistic).
     * NaN when one class is absent.
     */
    public static double auc(double[] scores, double[] labels, int n) {
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            positive[i] = labels[i] == 1.0;
        }
        return auc(scores, positive, n);
    }

    /** {@link #auc(double[], double[], int)} with the labels as flags; sorts primitives, so a long stream fits. */
    static double auc(double[] scores, boolean[] positive, int n) {
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (positive[i]) {
                positives++;
            }
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] pos = new double[positives];
        double[] neg = new double[negatives];
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            if (positive[i]) {
                pos[p++] = scores[i];
            } else {
                neg[q++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // For each positive: the negatives strictly below it, plus half of those equal to it.
        double pairs = 0;
        int below = 0;
        int upTo = 0;
        for (double p : pos) {
            while (below < negatives && neg[below] < p) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < negatives && neg[upTo] == p) {
                upTo++;
            }
            pairs += below + 0.5 * (upTo - below);
        }
        return pairs / ((double) positives * negatives);
    }

    static double ratio(double numerator, double denominator) {
        return ClassificationFigures.ratio(numerator, denominator);
    }
}
