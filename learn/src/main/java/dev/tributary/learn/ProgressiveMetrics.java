package dev.tributary.learn;

import java.util.Map;

/**
 * Progressive (test-then-train) metrics: every example is scored before the learner learns
 * from it. Keys are stable and lower-case. Regression: {@code mae, rmse, r2, count}
 * (prequential R² = 1 − SSE/SST, SST from a running variance of the labels). Classification:
 * {@code accuracy, precision, recall, f1, count} for class 1, plus {@code logloss} (clipped
 * at 1e-15) for logistic regression. A ratio with a zero denominator reads 0.
 *
 * <pre>{@code
 * learner.learn(x, y);
 * double accuracy = learner.metrics().values().get("accuracy");
 * Map<String, Double> saved = learner.metrics().state(); // travels in LearnerState.metricState
 * }</pre>
 */
public interface ProgressiveMetrics {

    /** Current figures, a new map in stable order. */
    Map<String, Double> values();

    /** The accumulators from which the metrics continue after a restore. */
    Map<String, Double> state();
}
