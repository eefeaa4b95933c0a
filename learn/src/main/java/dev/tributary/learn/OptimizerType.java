package dev.tributary.learn;

/**
 * How a learner turns the gradient of one example into a weight update. All state of an
 * optimizer (accumulators, step counter) travels in {@link LearnerState}.
 *
 * <pre>{@code
 * LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, List.of("x1", "x2"))
 *         .withOptimizer(OptimizerType.FTRL);
 * }</pre>
 */
public enum OptimizerType {
    /**
     * Per-coordinate AdaGrad, normalised for the scale of each feature and of the target so
     * that the default rate works with or without standardisation; supports L1 and L2.
     * The default for all three tasks.
     */
    ADAGRAD,
    /** Plain SGD, step {@code lr / (1 + lr·l2·t)}, L2 as weight decay. Meant for standardised inputs. */
    SGD,
    /** FTRL-Proximal (McMahan et al. 2013), per-coordinate rates, L1 and L2; built for logistic regression. */
    FTRL,
    /**
     * Pegasos (Shalev-Shwartz et al.) for the linear SVM only: step {@code 1/(l2·(t+1))}, weight decay
     * {@code l2}, projection onto the ball of radius {@code 1/sqrt(l2)}; the model is the average of
     * the iterates. Ignores the learning rate. For the SVM only (its default is ADAGRAD on the hinge loss).
     */
    PEGASOS
}
