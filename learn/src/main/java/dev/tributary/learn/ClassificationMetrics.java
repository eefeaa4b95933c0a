package dev.tributary.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Confusion counts (class 1 is positive), the ROC AUC of the margins ({@link RunningAuc}) and, for
 * logistic regression, the mean log loss next to that of a {@link RunningPrior} on the same labels.
 */
final class ClassificationMetrics extends Metrics {

    private static final double EPS = 1e-15;

    private final boolean withLogLoss;
    private long tp;
    private long fp;
    private long tn;
    private long fn;
    private double logLossSum;
    private final RunningAuc auc = RunningAuc.standard();
    private final RunningPrior prior = new RunningPrior(RunningPrior.WINDOW);
    private double priorLogLossSum;

    ClassificationMetrics(boolean withLogLoss) {
        this.withLogLoss = withLogLoss;
    }

    @Override
    boolean update(double m, double y) {
        boolean predictedPositive = m >= 0;
        boolean positive = y == 1.0;
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
        if (withLogLoss) {
            double p = Math.min(Math.max(LogLoss.sigmoid(m), EPS), 1.0 - EPS);
            logLossSum -= positive ? Math.log(p) : Math.log(1.0 - p);
            priorLogLossSum += prior.logLoss(y);
            prior.add(y);
        }
        auc.add(m, y);
        return true;
    }

    private long count() {
        return tp + fp + tn + fn;
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        long n = count();
        v.put("accuracy", ratio(tp + tn, n));
        if (withLogLoss) {
            v.put("logloss", ratio(logLossSum, n));
            v.put("priorLogloss", ratio(priorLogLossSum, n));
        }
        v.put("precision", ratio(tp, tp + fp));
        v.put("recall", ratio(tp, tp + fn));
        v.put("f1", ratio(2.0 * tp, 2.0 * tp + fp + fn));
        double a = auc.value();
        if (!Double.isNaN(a)) { // undefined while one class is absent; JSON has no NaN
            v.put("auc", a);
        }
        v.put("count", (double) n);
        return v;
    }

    @Override
    public Map<String, Double> state() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("tp", (double) tp);
        s.put("fp", (double) fp);
        s.put("tn", (double) tn);
        s.put("fn", (double) fn);
        if (withLogLoss) {
            s.put("logLossSum", logLossSum);
            s.put("priorLogLossSum", priorLogLossSum);
            s.put("priorP", prior.probability());
            s.put("priorCount", (double) prior.count());
        }
        auc.save(s, "auc.");
        return s;
    }

    @Override
    void load(Map<String, Double> state) {
        tp = (long) get(state, "tp");
        fp = (long) get(state, "fp");
        tn = (long) get(state, "tn");
        fn = (long) get(state, "fn");
        logLossSum = withLogLoss ? get(state, "logLossSum") : 0.0;
        // Versions saved before the AUC and the prior existed have neither: both start from there.
        if (withLogLoss && state.containsKey("priorP")) {
            priorLogLossSum = get(state, "priorLogLossSum");
            prior.set(get(state, "priorP"), (long) get(state, "priorCount"));
        }
        auc.load(state, "auc.");
    }
}
