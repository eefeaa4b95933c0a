package dev.tributary.registry;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.Vectors;
import java.util.List;

/** Small specs, versions and aliases for tests. */
final class Fixtures {
  private Fixtures() {}

  static ModelSpec.Builder spec(String name) {
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
  static ModelVersion version(ModelSpec spec, long v) {
    ModelVersion zero = ModelRegistry.initialVersion(spec, 1_700_000_000_000L + v);
    double[] w = Vectors.fromBytes(zero.getWeights());
    java.util.Arrays.fill(w, v);
    return ModelVersion.newBuilder(zero).setVersion(v).setWeights(Vectors.toBytes(w))
        .setParentVersion(v == 0 ? null : v - 1).setExamplesSeen(100 * v).setProducedBy("test").build();
  }

  static RegistryRecord record(Object entry) {
    return RegistryRecord.newBuilder().setEntry(entry).build();
  }

  static ModelAlias alias(String model, String alias, long version) {
    return ModelAlias.newBuilder().setModel(model).setAlias(alias).setVersion(version).setUpdatedAt(1L).build();
  }

  /** Applies spec then versions 0..n-1 of {@code name} to a view. */
  static ModelSpec populate(RegistryView view, String name, int versions) {
    ModelSpec spec = spec(name).build();
    view.apply(RegistryKeys.spec(name), record(spec));
    for (int v = 0; v < versions; v++) {
      view.apply(RegistryKeys.version(name, v), record(version(spec, v)));
    }
    return spec;
  }
}
