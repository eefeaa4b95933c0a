package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Learner;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.ShadowComparison;
import dev.tributary.schema.ShadowPrediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow scoring: three versions of one model trained differently; champion on one, challenger on
 * another, the spec's shadow alias "blue" on the third. Each prediction carries the champion's answer
 * and the shadows', each equal to what that version alone predicts.
 */
class ShadowScoringTest {
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private final RegistryView view = new RegistryView();
    private final ModelSpec spec = ModelVersions.defaultSpec("risk", Algorithm.LOGISTIC_REGRESSION, List.of("a", "b"))
            .setShadowAliases(List.of("blue"))
            .build();

    /** A version trained on 200 examples whose label follows the sign of {@code weight}·a. */
    private ModelVersion trained(long number, double weight) {
        Learner learner = ModelVersions.learnerOf(spec, ModelSpecs.initialVersion(spec, 1L));
        FeatureVector x = new FeatureVector(4);
        Random random = new Random(number);
        ServingModel featurizing = ServingModel.decode(spec, ModelSpecs.initialVersion(spec, 1L));
        for (int i = 0; i < 200; i++) {
            double a = random.nextGaussian();
            featurizing.featurize(Map.of("a", a, "b", random.nextGaussian()), Map.of(), x);
            learner.learn(x, weight * a > 0 ? 1 : 0);
        }
        return ModelVersions.versionOf("risk", number, learner.snapshot(), number - 1, List.of(), "test", 1L, Map.of());
    }

    private void alias(String alias, long version) {
        view.apply(RegistryKeys.alias("risk", alias), new RegistryRecord(new ModelAlias("risk", alias, version, 1L)));
    }

    @Test
    void shadowPredictionsEqualWhatEachVersionAlonePredicts() {
        view.apply(RegistryKeys.spec("risk"), new RegistryRecord(spec));
        Map<Long, ModelVersion> versions = Map.of(1L, trained(1, 1), 2L, trained(2, -1), 3L, trained(3, 0.5));
        versions.forEach((n, v) -> view.apply(RegistryKeys.version("risk", n), new RegistryRecord(v)));
        alias("champion", 1);
        alias("challenger", 2);
        alias("blue", 3);
        alias("green", 3); // not a shadow: neither the challenger nor in the spec

        List<Prediction> predictions = score(Map.of("a", 0.7, "b", -1.2), Map.of("a", -2.0, "b", 0.4));
        for (Prediction p : predictions) {
            assertThat(p.getModelVersion()).isEqualTo(1);
            assertThat(p.getShadows()).extracting(ShadowPrediction::getAlias).containsExactly("challenger", "blue");
            for (ShadowPrediction s : p.getShadows()) {
                Prediction alone = alone(versions.get(s.getVersion()), p);
                assertThat(s.getValue()).isEqualTo(alone.getValue());
                assertThat(s.getPredictedClass()).isEqualTo(alone.getPredictedClass());
            }
            assertThat(p.getShadows().get(0).getVersion()).isEqualTo(2);
            assertThat(p.getShadows().get(1).getVersion()).isEqualTo(3);
            assertThat(p.getValue()).isEqualTo(alone(versions.get(1L), p).getValue());
        }
        assertThat(predictions.get(0).getShadows().get(0).getValue())
                .isNotEqualTo(predictions.get(0).getValue()); // the versions really differ
    }

    @Test
    void noShadowsWithoutAliasesOrWhenTheyPointAtTheServingVersion() {
        view.apply(RegistryKeys.spec("risk"), new RegistryRecord(spec));
        view.apply(RegistryKeys.version("risk", 1), new RegistryRecord(trained(1, 1)));
        assertThat(score(Map.of("a", 1.0, "b", 1.0)).get(0).getShadows()).isNull();
        assertThat(new ShadowScorer(view).mayScore("risk")).isFalse();
        alias("challenger", 1); // the latest, which is served
        assertThat(score(Map.of("a", 1.0, "b", 1.0)).get(0).getShadows()).isNull();
        assertThat(new ShadowScorer(view).mayScore("risk")).isTrue();
        assertThat(new ShadowScorer(view).mayScore(null)).isFalse();
    }

    @Test
    void labelledEventsCompareEachShadowWithTheServingVersionAndTheCountsAddUp() {
        view.apply(RegistryKeys.spec("risk"), new RegistryRecord(spec));
        view.apply(RegistryKeys.version("risk", 1), new RegistryRecord(trained(1, 1)));
        view.apply(RegistryKeys.version("risk", 2), new RegistryRecord(trained(2, 0.3)));
        alias("champion", 1);
        alias("challenger", 2);
        Random random = new Random(5);
        List<double[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            rows.add(new double[] {a, b, a + 0.5 * b > 0 ? 1 : 0});
        }
        FunctionStats stats = new FunctionStats();
        List<Prediction> predictions;
        List<ShadowComparison> reports;
        try (TopologyTestDriver driver = driver(true, stats)) {
            TestInputTopic<byte[], byte[]> events =
                    driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
            for (int i = 0; i < rows.size(); i++) {
                double[] r = rows.get(i);
                String json = "{\"id\":\"l" + i + "\",\"model\":\"risk\",\"features\":{\"a\":" + r[0] + ",\"b\":" + r[1]
                        + "},\"label\":" + r[2] + "}";
                events.pipeInput(("l" + i).getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
            }
            predictions = driver
                    .createOutputTopic(TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readValuesToList()
                    .stream()
                    .map(v -> AvroCodec.of(Prediction.class).decode(v))
                    .toList();
            reports = driver.createOutputTopic(
                            TOPICS.comparisons(),
                            new org.apache.kafka.common.serialization.StringDeserializer(),
                            TributarySerdes.shadowComparison().deserializer())
                    .readValuesToList();
        }
        assertThat(reports).hasSize(2); // after 100 and 200 labelled events
        ShadowComparison last = reports.get(1);
        assertThat(last.getAlias()).isEqualTo("challenger");
        assertThat(last.getVersion()).isEqualTo(2);
        assertThat(last.getServingVersion()).isEqualTo(1);
        assertThat(last.getMetric()).isEqualTo("accuracy");
        assertThat(last.getTotal()).isEqualTo(200);
        assertThat(last.getCount()).isEqualTo(200); // the window (1000) is not full yet
        // The same figures from the predictions the consumers received, which carry both answers.
        long agree = 0;
        long shadowRight = 0;
        long servingRight = 0;
        for (int i = 0; i < 200; i++) {
            Prediction p = predictions.get(i);
            int label = (int) rows.get(i)[2];
            ShadowPrediction s = p.getShadows().get(0);
            agree += s.getPredictedClass().equals(p.getPredictedClass()) ? 1 : 0;
            shadowRight += s.getPredictedClass() == label ? 1 : 0;
            servingRight += p.getPredictedClass() == label ? 1 : 0;
        }
        assertThat(last.getAgreements()).isEqualTo(agree);
        assertThat(last.getAgreement()).isEqualTo(agree / 200.0);
        assertThat(last.getShadowMetric()).isEqualTo(shadowRight / 200.0);
        assertThat(last.getServingMetric()).isEqualTo(servingRight / 200.0);
        assertThat(last.getCiLow()).isLessThanOrEqualTo(last.getDifference());
        assertThat(last.getCiHigh()).isGreaterThanOrEqualTo(last.getDifference());
        assertThat(stats.comparisons.get("risk/challenger")).isEqualTo(last);
    }

    /** What the version alone predicts for the event behind {@code p}. */
    private Prediction alone(ModelVersion version, Prediction p) {
        ServingModel model = ServingModel.decode(spec, version);
        FeatureVector x = new FeatureVector(4);
        model.featurize(sent.get(p.getEventId()), Map.of(), x);
        return model.predict(p.getEventId(), x, 0, 0);
    }

    private final Map<String, Map<String, Double>> sent = new java.util.HashMap<>();

    private TopologyTestDriver driver(boolean train, FunctionStats stats) {
        Properties props = StandardTopologyDriver.props(stateDir);
        return new TopologyTestDriver(
                FunctionsTopology.build(
                        TOPICS,
                        new ModelCatalog(view, timeout -> true),
                        FunctionsTopology.Settings.defaults("test"),
                        stats,
                        train),
                props);
    }

    @SafeVarargs
    private List<Prediction> score(Map<String, Double>... features) {
        try (TopologyTestDriver driver = driver(false, new FunctionStats())) {
            TestInputTopic<byte[], byte[]> events =
                    driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(
                    TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (int i = 0; i < features.length; i++) {
                String id = "e" + sent.size();
                sent.put(id, features[i]);
                String json = "{\"id\":\"" + id + "\",\"model\":\"risk\",\"features\":{\"a\":" + features[i].get("a")
                        + ",\"b\":" + features[i].get("b") + "}}";
                events.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
            }
            return out.readValuesToList().stream()
                    .map(v -> AvroCodec.of(Prediction.class).decode(v))
                    .toList();
        }
    }
}
