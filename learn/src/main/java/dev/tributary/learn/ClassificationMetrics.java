package dev.tributary.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Confusion counts (class 1 is positive) and their figures ({@link ClassificationFigures}), the ROC
 * AUC of the margins ({@link RunningAuc}) and, for logistic regression, the mean log loss next to
 * that of a {@link RunningPrior} on the same labels.
 */
final class ClassificationMetrics extends Metrics {

    private final boolean withLogLoss;
    private final ClassificationFigures counts = new ClassificationFigures();
    private double logLossSum;
    private final RunningAuc auc = RunningAuc.standard();
    private final RunningPrior prior = new RunningPrior(RunningPrior.WINDOW);
    private double priorLogLossSum;

    ClassificationMetrics(boolean withLogLoss) {
        this.withLogLoss = withLogLoss;
    }

    @Override
    boolean update(double m, double y) {
        counts.add(m >= 0, y == 1.0);
        if (withLogLoss) {
            logLossSum += ClassificationFigures.logLoss(LogLoss.sigmoid(m), y);
            priorLogLossSum += prior.logLoss(y);
            prior.add(y);
        }
        auc.add(m, y);
        return true;
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        long n = counts.count();
        Map<String, Double> losses = new LinkedHashMap<>();
        if (withLogLoss) {
            losses.put("logloss", ClassificationFigures.ratio(logLossSum, n));
            losses.put("priorLogloss", ClassificationFigures.ratio(priorLogLossSum, n));
        }
        counts.putInto(v, losses);
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
        s.put("tp", (double) counts.tp());
        s.put("fp", (double) counts.fp());
        s.put("tn", (double) counts.tn());
        s.put("fn", (double) counts.fn());
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
        counts.set((long) get(state, "tp"), (long) get(state, "fp"), (long) get(state, "tn"), (long) get(state, "fn"));
        logLossSum = withLogLoss ? get(state, "logLossSum") : 0.0;
        // Versions saved before the AUC and the prior existed have neither: both start from there.
        if (withLogLoss && state.containsKey("priorP")) {
            priorLogLossSum = get(state, "priorLogLossSum");
            prior.set(get(state, "priorP"), (long) get(state, "priorCount"));
        }
        auc.load(state, "auc.");
    }
}
