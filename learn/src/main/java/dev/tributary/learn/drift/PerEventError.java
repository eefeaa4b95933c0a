package dev.tributary.learn.drift;

import dev.tributary.learn.Learner;

/**
 * What a drift detector watches for a model: its error on each example before learning from it —
 * 1 for a misclassified example and 0 for a right one (classifiers), the absolute error |y - ŷ|
 * (regression, in the label's units).
 *
 * <pre>{@code
 * double m = learner.margin(x);
 * if (detector.update(PerEventError.of(learner, m, y))) { ... }
 * learner.learn(x, y);
 * }</pre>
 */
public final class PerEventError {
    private PerEventError() {}

    public static double of(Learner learner, double margin, double y) {
        Integer predicted = learner.predictedClass(margin);
        if (predicted == null) {
            return Math.abs(y - learner.output(margin));
        }
        return predicted == y ? 0 : 1;
    }
}
