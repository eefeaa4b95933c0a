package dev.tributary.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/** MAE, RMSE and prequential R² of a regression learner. */
final class RegressionMetrics extends Metrics {

    private long count;
    private double sumAbsError;
    private double sumSquaredError;
    private final RunningStats labels = new RunningStats();

    @Override
    boolean update(double m, double y) {
        double error = m - y;
        double abs = sumAbsError + Math.abs(error);
        double squared = sumSquaredError + error * error;
        if (!Double.isFinite(abs) || !Double.isFinite(squared) || !labels.add(y)) {
            return false;
        }
        count++;
        sumAbsError = abs;
        sumSquaredError = squared;
        return true;
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        RegressionFigures.putInto(v, sumAbsError, sumSquaredError, labels.m2, count);
        return v;
    }

    @Override
    public Map<String, Double> state() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("count", (double) count);
        s.put("sumAbsError", sumAbsError);
        s.put("sumSquaredError", sumSquaredError);
        s.put("labelMean", labels.mean);
        s.put("labelM2", labels.m2);
        return s;
    }

    @Override
    void load(Map<String, Double> state) {
        count = (long) get(state, "count");
        sumAbsError = get(state, "sumAbsError");
        sumSquaredError = get(state, "sumSquaredError");
        labels.set(count, get(state, "labelMean"), get(state, "labelM2"));
    }
}
