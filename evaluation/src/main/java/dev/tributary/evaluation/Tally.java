package dev.tributary.evaluation;

import dev.tributary.learn.ClassificationFigures;
import dev.tributary.learn.RegressionFigures;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one predictor over a stream, added one prediction at a time, with the keys and
 * formulas of {@link Scores}. A classifier's scores are kept (8 bytes and a label per row) for the
 * exact AUC; nothing else grows with the stream.
 *
 * <pre>{@code
 * Tally t = Tally.classifier(true, 1000);
 * t.add(margin, margin >= 0 ? 1 : 0, probability, y);
 * Map<String, Double> figures = t.values();
 * }</pre>
 */
final class Tally {

    private final boolean classifier;
    private final boolean withLogLoss;
    private long n;
    private final ClassificationFigures counts = new ClassificationFigures();
    private double logLoss;
    private double[] scores;
    private boolean[] positive;
    private double abs;
    private double sse;
    private double mean;
    private double m2;

    private Tally(boolean classifier, boolean withLogLoss, int expectedRows) {
        this.classifier = classifier;
        this.withLogLoss = withLogLoss;
        int capacity = classifier ? Math.max(16, expectedRows) : 0;
        this.scores = new double[capacity];
        this.positive = new boolean[capacity];
    }

    /** A classifier's tally; {@code withLogLoss} when its predictions come with probabilities. */
    static Tally classifier(boolean withLogLoss, int expectedRows) {
        return new Tally(true, withLogLoss, expectedRows);
    }

    static Tally regression() {
        return new Tally(false, false, 0);
    }

    /** One classification: the predicted class, a score increasing with the belief in 1, P(1) (ignored without log loss), the label. */
    void add(double score, int predicted, double probability, double y) {
        boolean pos = y == 1.0;
        counts.add(predicted == 1, pos);
        if (withLogLoss) {
            logLoss += ClassificationFigures.logLoss(probability, y);
        }
        if (n == scores.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, scores.length * 2L);
            scores = Arrays.copyOf(scores, grown);
            positive = Arrays.copyOf(positive, grown);
        }
        scores[(int) n] = score;
        positive[(int) n] = pos;
        n++;
    }

    /** One regression prediction and its label. */
    void add(double prediction, double y) {
        double e = prediction - y;
        abs += Math.abs(e);
        sse += e * e;
        n++;
        double d = y - mean;
        mean += d / n;
        m2 += d * (y - mean);
    }

    long count() {
        return n;
    }

    Map<String, Double> values() {
        if (!classifier) {
            Map<String, Double> v = new LinkedHashMap<>();
            RegressionFigures.putInto(v, abs, sse, m2, n);
            return v;
        }
        return Scores.figures(
                counts, withLogLoss ? Scores.ratio(logLoss, n) : null, Scores.auc(scores, positive, (int) n));
    }
}
