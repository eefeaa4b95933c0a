package dev.tributary.learn;

import java.util.Map;

/** Base of the progressive metrics: what the learner feeds them. */
abstract class Metrics implements ProgressiveMetrics {

    /**
     * Records the prediction made with margin {@code m} for the true label {@code y}. Returns
     * false, recording nothing, if an accumulator would stop being finite.
     */
    abstract boolean update(double m, double y);

    static Metrics create(Task task, Map<String, Double> state) {
        Metrics metrics =
                task == Task.REGRESSION ? new RegressionMetrics() : new ClassificationMetrics(task == Task.LOGISTIC);
        if (state != null && !state.isEmpty()) {
            metrics.load(state);
        }
        return metrics;
    }

    abstract void load(Map<String, Double> state);

    static double get(Map<String, Double> state, String key) {
        Double v = state.get(key);
        if (v == null || !Double.isFinite(v)) {
            throw new IllegalArgumentException("metric state '" + key + "' is missing or not finite: " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
