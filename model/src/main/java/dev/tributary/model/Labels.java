package dev.tributary.model;

import dev.tributary.schema.ModelSpec;
import java.util.Optional;

/**
 * Which labels a model can learn from: any finite number for regression, 0 or 1 for a classifier.
 * Producers check labels with it before sending (the gateway, {@code produce --feedback}); the
 * functions dead-letter what a producer did not check.
 *
 * <pre>{@code
 * Labels.problem(spec, 2.0).ifPresent(reason -> reject(reason));
 * }</pre>
 */
public final class Labels {
    private Labels() {}

    /** Why {@code label} cannot train the model of {@code spec}, if it cannot: one sentence. */
    public static Optional<String> problem(ModelSpec spec, double label) {
        if (!Double.isFinite(label)) {
            return Optional.of("label " + label + " is not a finite number");
        }
        if (ModelVersions.taskOf(spec.getAlgorithm()).isClassifier() && label != 0.0 && label != 1.0) {
            return Optional.of("label " + label + " is not 0 or 1, as the " + spec.getAlgorithm() + " model '"
                    + spec.getName() + "' requires");
        }
        return Optional.empty();
    }

    /**
     * Why feedback carrying {@code label} cannot train the model of {@code spec}, if it cannot: the
     * model keeps no event waiting for its label (no label wait), or the label is not one it learns from.
     */
    public static Optional<String> feedbackProblem(ModelSpec spec, double label) {
        if (spec.getLabelWaitMs() <= 0) {
            return Optional.of(
                    "model '" + spec.getName() + "' has no label wait, so none of its events waits for feedback "
                            + "(create it with --label-wait, e.g. 30m)");
        }
        return problem(spec, label);
    }
}
