package dev.tributary.cli;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelSpec;
import java.util.Map;
import java.util.function.Function;

/** Opens the registry for a command, after checking that the cluster answers. */
final class Registries {
    private Registries() {}

    static ModelRegistry open(KafkaOptions kafka) {
        Map<String, Object> props = kafka.reachableClientProperties();
        return new ModelRegistry(props, kafka.topics().models(), Kafka.TIMEOUT);
    }

    /**
     * Runs {@code action} on the registry, opened for it and closed after; what the registry refuses
     * (an IllegalArgumentException: unknown model, version, taken name…) becomes a one-sentence error.
     */
    static <T> T call(KafkaOptions kafka, Function<ModelRegistry, T> action) {
        try (ModelRegistry registry = open(kafka)) {
            return action.apply(registry);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** Throws the unknown-model error unless the model has versions. */
    static void requireVersions(ModelRegistry registry, String model) {
        if (registry.versions(model).isEmpty()) {
            throw unknownModel(model);
        }
    }

    static ModelSpec requireSpec(ModelRegistry registry, String model) {
        return registry.spec(model).orElseThrow(() -> unknownModel(model));
    }

    static CliException unknownModel(String model) {
        return new CliException("unknown model '" + model + "'; 'tributary models list' shows the models and "
                + "'tributary models create " + model + " ...' creates it");
    }
}
