package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Registry views filled in memory, and renderers that show what they were given. */
final class TestRegistry {
    private TestRegistry() {}

    static final List<String> FEATURES = List.of("x1", "x2", "x3");

    static ModelSpec spec(String name) {
        return ModelVersions.defaultSpec(name, Algorithm.LOGISTIC_REGRESSION, FEATURES)
                .build();
    }

    /** A model with {@code versions} versions whose accuracy rises with the examples seen, plus extra metrics. */
    static void addModel(RegistryView view, String name, int versions, Map<String, Double> extraMetrics) {
        ModelSpec spec = spec(name);
        view.apply(RegistryKeys.spec(name), new RegistryRecord(spec));
        ModelVersion v0 = ModelSpecs.initialVersion(spec, 1_000);
        for (int i = 0; i < versions; i++) {
            Map<String, Double> metrics = new HashMap<>(extraMetrics);
            if (i > 0) {
                metrics.put("accuracy", 0.5 + 0.4 * i / versions);
                metrics.put("count", 1000.0 * i);
            }
            ModelVersion v = ModelVersion.newBuilder(v0)
                    .setVersion(i)
                    .setExamplesSeen(1000L * i)
                    .setParentVersion(i == 0 ? null : (long) i - 1)
                    .setMetrics(metrics)
                    .setCreatedAt(1_000 + i)
                    .setWeights(Vectors.toBytes(new double[] {0.5 * i, -0.25, 2.0}))
                    .build();
            view.apply(RegistryKeys.version(name, i), new RegistryRecord(v));
        }
    }

    static void alias(RegistryView view, String model, String alias, long version) {
        view.apply(RegistryKeys.alias(model, alias), new RegistryRecord(new ModelAlias(model, alias, version, 5_000L)));
    }

    static UsageRecord usage(String model, long end, long invocations) {
        return UsageRecord.newBuilder()
                .setFunction("functions")
                .setModel(model)
                .setInstance("i1")
                .setTask("0_0")
                .setIntervalStart(end - 10_000)
                .setIntervalEnd(end)
                .setInvocations(invocations)
                .setErrors(0)
                .setCpuMillis(1.0)
                .setHeapBytes(1L << 20)
                .setGbSeconds(0.01)
                .build();
    }

    /** Renderers that show a version's weights and bias, a record's value as text, a bill's record count. */
    static final Renderers RENDERERS = new Renderers() {
        @Override
        public ObjectNode version(ModelVersion version) {
            ObjectNode json = ModelsJson.object();
            json.put("bias", version.getBias());
            ObjectNode weights = json.putObject("weights");
            double[] w = Vectors.fromBytes(version.getWeights());
            for (int i = 0; i < w.length; i++) {
                weights.put(
                        i < version.getFeatureNames().size()
                                ? version.getFeatureNames().get(i)
                                : "hash[" + i + "]",
                        w[i]);
            }
            json.putNull("promotion");
            return json;
        }

        @Override
        public ObjectNode record(ConsumerRecord<byte[], byte[]> record) {
            ObjectNode json = ModelsJson.object();
            json.put("value", new String(record.value(), StandardCharsets.UTF_8));
            ObjectNode headers = json.putObject("headers");
            record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            return json;
        }

        @Override
        public ObjectNode bill(List<UsageRecord> records, List<String> by) {
            ObjectNode json = ModelsJson.object();
            json.put("records", records.size());
            json.put(
                    "invocations",
                    records.stream().mapToLong(UsageRecord::getInvocations).sum());
            json.putArray("by")
                    .addAll(by.stream()
                            .map(b -> ModelsJson.object().textNode(b))
                            .toList());
            return json;
        }
    };
}
