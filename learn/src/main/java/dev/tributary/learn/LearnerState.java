package dev.tributary.learn;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Plain data: everything a learner needs to score and to continue training. Produced by
 * {@link Learner#snapshot()} (deep copies), consumed by {@link Learners#restore}; the round trip
 * is exact. Treat the arrays as read-only. {@code equals} compares array contents.
 *
 * <pre>{@code
 * LearnerState state = learner.snapshot();
 * double[] w = state.weights();            // numeric features, then hashed buckets
 * Learner copy = Learners.restore(state);
 * }</pre>
 *
 * @param config           the learner's config
 * @param weights          {@code config.dimension()} weights, in the standardised space if enabled
 * @param bias             the bias
 * @param scalerMean       running mean per numeric feature (all zero when standardisation is off)
 * @param scalerM2         running sum of squared deviations per numeric feature
 * @param scalerCount      examples the scaler has seen
 * @param optimizerVectors per-weight optimizer state by name: ADAGRAD {@code g2} (all weights) and
 *                         {@code sumSq}, {@code scaleMax} (numeric features); FTRL {@code z}, {@code n}; PEGASOS
 *                         {@code iterate} (its weights are the average of the iterates); SGD none
 * @param optimizerScalars scalar optimizer state by name: ADAGRAD {@code biasG2, t, normSum, biasCount}; SGD
 *                         {@code t}; FTRL {@code biasZ, biasN}; PEGASOS {@code t, iterateScale,
 *                         iterateBias, iterateNormSq}; for regression also {@code label.count,
 *                         label.mean, label.m2}. Missing entries restore as fresh.
 * @param examplesSeen     examples learned from
 * @param updatesRejected  updates refused by the guard
 * @param metricState      accumulators of the progressive metrics
 */
public record LearnerState(
        LearnerConfig config,
        double[] weights,
        double bias,
        double[] scalerMean,
        double[] scalerM2,
        long scalerCount,
        Map<String, double[]> optimizerVectors,
        Map<String, Double> optimizerScalars,
        long examplesSeen,
        long updatesRejected,
        Map<String, Double> metricState) {

    public LearnerState {
        if (config == null) {
            throw new IllegalArgumentException("config is required");
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights are required");
        }
        scalerMean = scalerMean == null ? new double[0] : scalerMean;
        scalerM2 = scalerM2 == null ? new double[0] : scalerM2;
        optimizerVectors = optimizerVectors == null ? Map.of() : optimizerVectors;
        optimizerScalars = optimizerScalars == null ? Map.of() : optimizerScalars;
        metricState = metricState == null ? Map.of() : metricState;
    }

    static void checkFinite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " holds " + values[i] + " at index " + i);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LearnerState s)) {
            return false;
        }
        return config.equals(s.config)
                && Arrays.equals(weights, s.weights)
                && Double.compare(bias, s.bias) == 0
                && Arrays.equals(scalerMean, s.scalerMean)
                && Arrays.equals(scalerM2, s.scalerM2)
                && scalerCount == s.scalerCount
                && vectorsEqual(optimizerVectors, s.optimizerVectors)
                && optimizerScalars.equals(s.optimizerScalars)
                && examplesSeen == s.examplesSeen
                && updatesRejected == s.updatesRejected
                && metricState.equals(s.metricState);
    }

    private static boolean vectorsEqual(Map<String, double[]> a, Map<String, double[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(config, bias, scalerCount, optimizerScalars, examplesSeen, updatesRejected, metricState);
        h = 31 * h + Arrays.hashCode(weights);
        h = 31 * h + Arrays.hashCode(scalerMean);
        h = 31 * h + Arrays.hashCode(scalerM2);
        for (Map.Entry<String, double[]> e : optimizerVectors.entrySet()) {
            h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        return "LearnerState{" + config.task() + "/" + config.optimizer() + ", weights=" + weights.length
                + ", bias=" + bias + ", examplesSeen=" + examplesSeen + ", updatesRejected=" + updatesRejected
                + ", optimizer=" + optimizerVectors.keySet() + optimizerScalars + ", metrics=" + metricState + "}";
    }
}
