package dev.tributary.cli;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Topics;
import java.util.Map;

/** Opens the registry for a command, after checking that the cluster answers. */
final class Registries {
  private Registries() {}

  static ModelRegistry open(KafkaOptions kafka) {
    Map<String, Object> props = kafka.clientProperties();
    Kafka.requireReachable(props);
    return new ModelRegistry(props, Topics.defaults().models(), Kafka.TIMEOUT);
  }

  static ModelSpec requireSpec(ModelRegistry registry, String model) {
    return registry.spec(model).orElseThrow(() -> unknownModel(model));
  }

  static CliException unknownModel(String model) {
    return new CliException("unknown model '" + model + "'; 'tributary models list' shows the models and "
        + "'tributary models create " + model + " ...' creates it");
  }
}
