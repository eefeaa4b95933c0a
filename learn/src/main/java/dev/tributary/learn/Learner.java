package dev.tributary.learn;

/**
 * An online linear model that predicts and learns one example at a time (River-style).
 * Implementations are not thread-safe for {@link #learn}; {@link #margin}, {@link #output} and
 * {@link #predictedClass} only read and may run concurrently with each other.
 *
 * <pre>{@code
 * LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, List.of("x1", "x2"));
 * Learner learner = Learners.create(config);
 * Featurizer featurizer = Featurizer.of(config);
 * FeatureVector x = featurizer.newVector();
 * featurizer.fill(Map.of("x1", 0.3, "x2", -1.2), Map.of(), x);
 * double m = learner.margin(x);
 * double p = learner.output(m);             // P(y=1)
 * Integer label = learner.predictedClass(m); // 0 or 1
 * learner.learn(x, 1.0);                     // test-then-train
 * LearnerState saved = learner.snapshot();
 * Learner again = Learners.restore(saved);
 * }</pre>
 */
public interface Learner {

    /** {@code w·x̃ + b}, where {@code x̃} is x standardised by the learner's scaler if enabled. */
    double margin(FeatureVector x);

    /** Regression: the margin; logistic: sigmoid(margin) = P(y=1); SVM: the margin. */
    double output(double margin);

    /** Null for regression; 0 or 1 for classifiers (logistic: p &gt;= 0.5, SVM: margin &gt;= 0). */
    Integer predictedClass(double margin);

    /**
     * Test-then-train: predicts x, updates the progressive metrics with (prediction, y), updates
     * the scaler, then updates the weights.
     *
     * @param y any finite number for regression; 0 or 1 for classifiers
     * @return false if the update was rejected by the guard (non-finite result or an exploding
     *         weight norm): the weights then stay as they were and {@link #updatesRejected()} grows
     * @throws IllegalArgumentException for an invalid label or a vector that does not fit the model
     */
    boolean learn(FeatureVector x, double y);

    /** Examples passed to {@link #learn}, including rejected ones. */
    long examplesSeen();

    /** Updates the guard refused. */
    long updatesRejected();

    /** The progressive (test-then-train) metrics so far. */
    ProgressiveMetrics metrics();

    /** A deep copy of everything needed to continue training and to score. */
    LearnerState snapshot();
}
