package dev.tributary.model;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.PromotionPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A model's promotion policy, as its spec states it: {@link PromotionPolicy#MANUAL} (the
 * {@value RegistryView#CHAMPION} alias moves only by command) or {@link PromotionPolicy#AUTO} (the
 * train function moves it to each new version that passes the {@link PromotionGate}, and points
 * {@value #CHALLENGER} at each one that does not).
 *
 * <p>The gate compares a <em>windowed</em> progressive metric: the metric over the last
 * {@code promotionWindow} training examples, each scored before it was learned. Every version the
 * train function publishes records it in its metrics as {@code window.<metric>} (and
 * {@code window.count}); a gated version also records it in its {@link PromotionDecision}.
 */
public final class Promotion {
    /** The alias the train function points at a version the gate refused. */
    public static final String CHALLENGER = "challenger";
    /** Prefix of the windowed metrics in a version's metrics map. */
    public static final String WINDOW_PREFIX = "window.";
    /** Key of the number of examples in the window, in a version's metrics map. */
    public static final String WINDOW_COUNT = WINDOW_PREFIX + "count";
    /** The largest promotion window: its per-example values are kept in the trainer's state. */
    public static final long MAX_WINDOW = 100_000;

    private Promotion() {}

    /** A metric the gate can compare, with the way each example contributes to it. */
    public enum Metric {
        /** Share of examples whose predicted class was right; higher is better. */
        ACCURACY(true),
        /** Mean log loss of the predicted probability (logistic regression only); lower is better. */
        LOGLOSS(false),
        /** Root mean squared error (regression only); lower is better. */
        RMSE(false),
        /** Mean absolute error (regression only); lower is better. */
        MAE(false);

        private final boolean higherIsBetter;

        Metric(boolean higherIsBetter) {
            this.higherIsBetter = higherIsBetter;
        }

        public boolean higherIsBetter() {
            return higherIsBetter;
        }

        /** The metric's lower-case name, as in a version's metrics and in a spec. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Its key in a version's metrics map: {@code window.<metric>}. */
        public String windowKey() {
            return WINDOW_PREFIX + key();
        }

        /** The window's value from the mean of the per-example contributions. */
        public double fromMean(double mean) {
            return this == RMSE ? Math.sqrt(mean) : mean;
        }

        boolean appliesTo(Algorithm algorithm) {
            return switch (this) {
                case ACCURACY -> algorithm != Algorithm.LINEAR_REGRESSION;
                case LOGLOSS -> algorithm == Algorithm.LOGISTIC_REGRESSION;
                case RMSE, MAE -> algorithm == Algorithm.LINEAR_REGRESSION;
            };
        }

        /** The metric that sums a task up: accuracy for classifiers, RMSE for regression. */
        public static Metric defaultFor(Algorithm algorithm) {
            return algorithm == Algorithm.LINEAR_REGRESSION ? RMSE : ACCURACY;
        }

        /** The names that make sense for {@code algorithm}, for messages. */
        public static List<String> namesFor(Algorithm algorithm) {
            return Arrays.stream(values())
                    .filter(m -> m.appliesTo(algorithm))
                    .map(Metric::key)
                    .toList();
        }
    }

    /** True if the spec asks the train function to gate and promote versions itself. */
    public static boolean isAuto(ModelSpec spec) {
        return spec.getPromotion() == PromotionPolicy.AUTO;
    }

    /**
     * The metric the gate compares for this spec: {@code promotionMetric}, or the task's main metric
     * when that is empty.
     *
     * @throws IllegalArgumentException if the spec names a metric that is unknown or does not fit its algorithm
     */
    public static Metric metricOf(ModelSpec spec) {
        String name = spec.getPromotionMetric() == null
                ? ""
                : spec.getPromotionMetric().trim();
        if (name.isEmpty()) {
            return Metric.defaultFor(spec.getAlgorithm());
        }
        Metric metric;
        try {
            metric = Metric.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            metric = null;
        }
        if (metric == null || !metric.appliesTo(spec.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "promotionMetric '" + name + "' does not apply to a " + spec.getAlgorithm()
                            + " model; use one of " + Metric.namesFor(spec.getAlgorithm()) + " (or leave it empty for "
                            + Metric.defaultFor(spec.getAlgorithm()).key() + ")");
        }
        return metric;
    }

    /**
     * {@link #metricOf}, or the task's main metric if the spec names one that does not fit (a spec
     * written by a client that did not validate it): what the train function uses, so a bad spec
     * never stops a stream thread.
     */
    public static Metric metricOrDefault(ModelSpec spec) {
        try {
            return metricOf(spec);
        } catch (IllegalArgumentException e) {
            return Metric.defaultFor(spec.getAlgorithm());
        }
    }

    /** The spec's promotion window, within 1 and {@link #MAX_WINDOW}. */
    public static int windowOf(ModelSpec spec) {
        return (int) Math.max(1, Math.min(MAX_WINDOW, spec.getPromotionWindow()));
    }

    /**
     * Checks the promotion fields of a spec.
     *
     * @param m the message prefix naming the model
     * @throws IllegalArgumentException saying what is wrong
     */
    static void validate(ModelSpec spec, String m) {
        if (spec.getPromotion() == null) {
            throw new IllegalArgumentException(m + "promotion is missing (MANUAL or AUTO)");
        }
        try {
            metricOf(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(m + e.getMessage(), e);
        }
        double margin = spec.getPromotionMargin();
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException(m + "promotionMargin must be a finite number >= 0, not " + margin);
        }
        long window = spec.getPromotionWindow();
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException(
                    m + "promotionWindow must be between 1 and " + MAX_WINDOW + " examples, not " + window);
        }
    }

    /**
     * A version's window metric: the one its promotion decision recorded, else {@code window.<metric>}
     * in its metrics; empty if it has neither (version 0, or a version published by hand).
     */
    public static OptionalDouble windowMetric(ModelVersion v, Metric metric) {
        PromotionDecision d = v.getPromotion();
        if (d != null
                && metric.key().equals(d.getMetric())
                && Double.isFinite(d.getWindowMetric())
                && d.getWindowCount() > 0) {
            return OptionalDouble.of(d.getWindowMetric());
        }
        Double value = v.getMetrics() == null ? null : v.getMetrics().get(metric.windowKey());
        Double count = v.getMetrics() == null ? null : v.getMetrics().get(WINDOW_COUNT);
        if (value == null || !Double.isFinite(value) || count == null || count <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(value);
    }

    /** True if the gate refused this version (it is, or was, a challenger). */
    public static boolean wasRefused(ModelVersion v) {
        return v.getPromotion() != null && !v.getPromotion().getAccepted();
    }
}
