package dev.tributary.model;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;

/** Whether an event fits its model's spec as the score function requires: its features, and a label it can learn. */
public final class EventFit {
    private EventFit() {}

    /** Why {@code spec}'s model cannot learn from {@code label} (a classifier's label is 0 or 1), or null. */
    public static String labelProblem(ModelSpec spec, Double label) {
        if (label == null || spec.getAlgorithm() == Algorithm.LINEAR_REGRESSION || label == 0.0 || label == 1.0) {
            return null;
        }
        return "label " + label + " is not 0 or 1, as the " + spec.getAlgorithm() + " model '" + spec.getName()
                + "' requires";
    }

    /** Why the score function would refuse {@code event} for {@code spec}'s model, or null. */
    public static String problem(ModelSpec spec, Event event) {
        String label = labelProblem(spec, event.getLabel());
        if (label != null) {
            return label;
        }
        String features = new Featurizer(spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits())
                .fill(event.getFeatures(), event.getCategories(), new FeatureVector(64));
        return features == null ? null : features + " (model '" + spec.getName() + "')";
    }
}
