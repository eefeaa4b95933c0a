package dev.tributary.learn;

/**
 * Creates learners from a config or from a saved state.
 *
 * <pre>{@code
 * Learner fresh = Learners.create(LearnerConfig.defaults(Task.SVM, List.of("x1", "x2")));
 * Learner resumed = Learners.restore(fresh.snapshot());
 * }</pre>
 */
public final class Learners {
    /** The prefix of the label statistics among a regression learner's optimizer scalars. */
    static final String LABEL_PREFIX = "label.";

    /**
     * A learner refuses an update that would take its weight norm over this bound times
     * max(1, RMS of the labels it has seen); {@link #labelRms} gives that RMS from a saved state.
     */
    public static final double WEIGHT_NORM_BOUND = 1e6;

    private Learners() {}

    /** A fresh learner: zero weights, fresh scaler, optimizer and metrics. */
    public static Learner create(LearnerConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config is required");
        }
        return new LinearLearner(config);
    }

    /**
     * A learner that continues exactly where {@code state} was taken.
     *
     * @throws IllegalArgumentException if the state does not fit its config or holds non-finite numbers
     */
    public static Learner restore(LearnerState state) {
        if (state == null) {
            throw new IllegalArgumentException("state is required");
        }
        return LinearLearner.restore(state);
    }

    /** RMS of the labels a regression learner has seen, from its saved optimizer scalars; 0 for classifiers. */
    public static double labelRms(java.util.Map<String, Double> optimizerScalars) {
        if (optimizerScalars == null) {
            return 0.0;
        }
        Double count = optimizerScalars.get(LABEL_PREFIX + "count");
        Double mean = optimizerScalars.get(LABEL_PREFIX + "mean");
        Double m2 = optimizerScalars.get(LABEL_PREFIX + "m2");
        if (count == null || mean == null || m2 == null || count <= 0) {
            return 0.0;
        }
        double rms = Math.sqrt(mean * mean + m2 / count);
        return Double.isFinite(rms) ? rms : 0.0;
    }

    /**
     * How many float64 numbers a learner of {@code config} keeps: weights, the optimizer's per-weight
     * vectors and the scaler's mean and M2. Its saved state is about eight bytes each.
     */
    public static long stateDoubles(LearnerConfig config) {
        long numeric = config.numericFeatures().size();
        long weights = config.dimension();
        return weights + Optimizer.vectorDoubles(config) + (config.standardize() ? 2 * numeric : 0);
    }
}
