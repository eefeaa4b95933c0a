package dev.tributary.bench;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.Learners;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.util.List;
import java.util.Map;

/**
 * Versions of the bench's model with distinct weights: one learner, trained on a few more synthetic
 * examples before each version. Not thread-safe.
 */
final class TrainedVersions {
    private final ModelSpec spec;
    private final Learner learner;
    private final SyntheticStream training;
    private final Featurizer featurizer;
    private final FeatureVector x;

    TrainedVersions(ModelSpec spec, int features, long seed) {
        this.spec = spec;
        this.learner = Learners.create(ModelVersions.configOf(spec));
        this.training =
                new SyntheticStream(spec.getName(), Algorithm.LOGISTIC_REGRESSION, features, seed, Long.MAX_VALUE);
        this.featurizer = new Featurizer(spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits());
        this.x = new FeatureVector(features);
    }

    /** Version {@code version} (parent {@code parent}) after {@code examples} more examples. */
    ModelVersion next(long version, long parent, int examples) {
        for (int i = 0; i < examples; i++) {
            Event e = training.next();
            featurizer.fill(e.getFeatures(), e.getCategories(), x);
            learner.learn(x, e.getLabel());
        }
        return ModelVersions.versionOf(
                spec.getName(),
                version,
                learner.snapshot(),
                parent,
                List.of(),
                "bench",
                System.currentTimeMillis(),
                Map.of());
    }
}
