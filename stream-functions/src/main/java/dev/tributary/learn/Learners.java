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

    private Learners() {
    }

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
}
