package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.MapOrder;
import dev.tributary.model.EventFit;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;

/**
 * One registry version decoded for scoring: built once per version by the {@link
 * dev.tributary.registry.ModelCache}, then shared read-only by every scoring thread.
 */
public record ServingModel(ModelSpec spec, long version, Featurizer featurizer, Learner learner) {
    public static ServingModel decode(ModelSpec spec, ModelVersion version) {
        return new ServingModel(
                spec,
                version.getVersion(),
                new Featurizer(spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits()),
                ModelVersions.learnerOf(spec, version));
    }

    /** Why this model cannot learn from {@code label} (a classifier's label is 0 or 1), or null. */
    public String labelProblem(Double label) {
        return EventFit.labelProblem(spec, label);
    }

    /** Fills {@code x} from the event's features; returns why it cannot, or null. */
    public String featurize(
            java.util.Map<String, Double> numeric, java.util.Map<String, String> categories, FeatureVector x) {
        return featurizer.fill(numeric, categories, x);
    }

    /** {@link #featurize}, reading maps in the order this thread's last one had ({@link MapOrder}). */
    public String featurize(
            java.util.Map<String, Double> numeric,
            java.util.Map<String, String> categories,
            FeatureVector x,
            MapOrder order) {
        return featurizer.fill(numeric, categories, x, order);
    }

    /**
     * The prediction for features already {@link #featurize featurized} into {@code x}, stamped with
     * this version: what the score function publishes and what the HTTP gateway answers.
     */
    public Prediction predict(String eventId, FeatureVector x, long eventTimestamp, long scoredAt) {
        double margin = learner.margin(x);
        return new Prediction(
                eventId,
                spec.getName(),
                version,
                spec.getAlgorithm(),
                learner.output(margin),
                learner.predictedClass(margin),
                margin,
                eventTimestamp,
                scoredAt,
                null);
    }
}
