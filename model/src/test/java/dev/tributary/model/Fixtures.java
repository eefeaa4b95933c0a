package dev.tributary.model;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.serde.Vectors;
import java.util.List;

/** Small specs and versions for tests of this module and of the modules above it (the test jar). */
public final class Fixtures {
    private Fixtures() {}

    public static ModelSpec.Builder spec(String name) {
        return ModelSpec.newBuilder()
                .setName(name)
                .setAlgorithm(Algorithm.LOGISTIC_REGRESSION)
                .setFeatures(List.of("amount", "age"))
                .setCategoricalFeatures(List.of())
                .setHashBits(0)
                .setOptimizer(OptimizerKind.ADAGRAD)
                .setLearningRate(0.1)
                .setL2(0.001)
                .setL1(0.0)
                .setStandardize(true)
                .setPublishEvery(100)
                .setPublishIntervalMs(1000)
                .setCreatedAt(1_700_000_000_000L);
    }

    /** Version {@code v} of a spec: version 0's layout with every weight set to {@code v}. */
    public static ModelVersion version(ModelSpec spec, long v) {
        ModelVersion zero = ModelSpecs.initialVersion(spec, 1_700_000_000_000L + v);
        double[] w = Vectors.fromBytes(zero.getWeights());
        java.util.Arrays.fill(w, v);
        return ModelVersion.newBuilder(zero)
                .setVersion(v)
                .setWeights(Vectors.toBytes(w))
                .setParentVersion(v == 0 ? null : v - 1)
                .setExamplesSeen(100 * v)
                .setProducedBy("test")
                .build();
    }
}
