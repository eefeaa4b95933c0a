package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.model.Promotion;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.PromotionPolicy;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train function's promotion gate, metric window and size limit, in a TopologyTestDriver. */
class TrainPromotionTest {
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private final RegistryView view = new RegistryView();
    private final FunctionStats stats = new FunctionStats();
    private final Random random = new Random(11);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<String, RegistryRecord> registry;
    private int sent;

    private void start(FunctionsTopology.Settings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(
                FunctionsTopology.build(TOPICS, new ModelCatalog(view, timeout -> true), settings, stats), props);
        events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(
                TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        registry =
                driver.createOutputTopic(TOPICS.models(), new StringDeserializer(), TributarySerdes.registryRecord());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    /** What ModelRegistry.createModel publishes: the spec, version 0 and, for AUTO, champion on 0. */
    private void createModel(ModelSpec spec) {
        view.apply(RegistryKeys.spec(spec.getName()), new RegistryRecord(spec));
        view.apply(RegistryKeys.version(spec.getName(), 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        if (Promotion.isAuto(spec)) {
            view.apply(
                    RegistryKeys.alias(spec.getName(), RegistryView.CHAMPION),
                    new RegistryRecord(new ModelAlias(spec.getName(), RegistryView.CHAMPION, 0L, 1L)));
        }
    }

    /** {@code n} labelled events whose label is x1 > 0, or the opposite when {@code flipped}. */
    private void train(String model, int n, boolean flipped) {
        for (int i = 0; i < n; i++) {
            double x1 = random.nextGaussian();
            boolean positive = x1 > 0 != flipped;
            String id = "e" + sent++;
            events.pipeInput(
                    id.getBytes(StandardCharsets.UTF_8),
                    ("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":" + x1 + "},\"label\":"
                                    + (positive ? 1 : 0) + "}")
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads what the train function wrote to the registry and applies it, as the registry follower would. */
    private List<TestRecord<String, RegistryRecord>> published() {
        List<TestRecord<String, RegistryRecord>> records = registry.readRecordsToList();
        records.forEach(r -> view.apply(r.key(), r.value()));
        return records;
    }

    private static ModelVersion versionIn(TestRecord<String, RegistryRecord> r) {
        return (ModelVersion) r.value().getEntry();
    }

    @Test
    void autoPromotionRefusesADegradedVersionAndAcceptsAGoodOneInTheSameTransaction() {
        createModel(ModelVersions.defaultSpec("auto", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setPublishEvery(100)
                .setPublishIntervalMs(600_000)
                .setPromotion(PromotionPolicy.AUTO)
                .setPromotionWindow(100)
                .setPromotionMargin(0.05)
                .build());
        start(FunctionsTopology.Settings.defaults("test-instance"));

        train("auto", 300, false);
        List<TestRecord<String, RegistryRecord>> good = registry.readRecordsToList(); // not applied yet: the view lags
        assertThat(good)
                .extracting(TestRecord::key)
                .containsExactly(
                        RegistryKeys.version("auto", 1), RegistryKeys.alias("auto", "champion"),
                        RegistryKeys.version("auto", 2), RegistryKeys.alias("auto", "champion"),
                        RegistryKeys.version("auto", 3), RegistryKeys.alias("auto", "champion"));
        PromotionDecision d2 = versionIn(good.get(2)).getPromotion();
        assertThat(d2.getAccepted()).isTrue();
        assertThat(d2.getChampionVersion())
                .as("its own promotion of 1, not yet in the view")
                .isEqualTo(1L);
        ModelVersion v3 = versionIn(good.get(4));
        assertThat(v3.getMetrics()).containsKeys("accuracy", "window.accuracy", "window.count");
        assertThat(v3.getMetrics().get("window.count")).isEqualTo(100.0);
        assertThat(v3.getMetrics().get("window.accuracy")).isGreaterThan(0.85);
        assertThat(v3.getPromotion().getWindowMetric())
                .isEqualTo(v3.getMetrics().get("window.accuracy"));
        good.forEach(r -> view.apply(r.key(), r.value()));
        assertThat(((ModelAlias) good.get(5).value().getEntry()).getVersion()).isEqualTo(3L);

        train("auto", 100, true); // a degraded version: learned from flipped labels
        List<TestRecord<String, RegistryRecord>> bad = published();
        assertThat(bad)
                .extracting(TestRecord::key)
                .containsExactly(RegistryKeys.version("auto", 4), RegistryKeys.alias("auto", "challenger"));
        PromotionDecision d4 = versionIn(bad.get(0)).getPromotion();
        assertThat(d4.getAccepted()).isFalse();
        assertThat(d4.getChampionVersion()).isEqualTo(3L);
        assertThat(d4.getReason()).contains("is worse than champion version 3's");
        assertThat(view.aliases("auto")).containsEntry("champion", 3L).containsEntry("challenger", 4L);
        assertThat(view.serving("auto")).map(ModelVersion::getVersion).contains(3L);
        assertThat(stats.versionsRefused.sum()).isEqualTo(1);

        Long promoted = null;
        long lastRefused = 4;
        for (int round = 0; round < 20 && promoted == null; round++) {
            train("auto", 100, false); // while it recovers, versions may still be refused
            for (TestRecord<String, RegistryRecord> r : published()) {
                if (r.value().getEntry() instanceof ModelVersion v) {
                    if (v.getPromotion().getAccepted()) {
                        promoted = v.getVersion();
                    } else {
                        lastRefused = v.getVersion();
                    }
                }
            }
        }
        assertThat(promoted)
                .as("a good version after the degraded one is promoted again")
                .isNotNull()
                .isGreaterThan(4L);
        assertThat(view.aliases("auto")).containsEntry("champion", promoted).containsEntry("challenger", lastRefused);
        assertThat(stats.versionsPromoted.sum()).isGreaterThanOrEqualTo(4);

        TrainerState state = TrainerStateStore.of(driver.getStateStore(FunctionsTopology.TRAINER_STORE))
                .get("auto");
        assertThat(state.getWindow())
                .as("the window travels in the trainer state")
                .isNotNull();
        assertThat(state.getWindow().getSize()).isEqualTo(100);
        assertThat(state.getWindow().getMetric()).isEqualTo("accuracy");
    }

    @Test
    void aManualModelGetsItsWindowMetricButNoDecisionAndNoAliasMove() {
        createModel(ModelVersions.defaultSpec("manual", Algorithm.LINEAR_REGRESSION, List.of("x1"))
                .setPublishEvery(50)
                .setPublishIntervalMs(600_000)
                .setPromotionWindow(20)
                .build());
        start(FunctionsTopology.Settings.defaults("test-instance"));
        train("manual", 100, false);
        List<TestRecord<String, RegistryRecord>> out = published();
        assertThat(out)
                .extracting(TestRecord::key)
                .containsExactly(RegistryKeys.version("manual", 1), RegistryKeys.version("manual", 2));
        ModelVersion v2 = versionIn(out.get(1));
        assertThat(v2.getPromotion()).isNull();
        assertThat(v2.getMetrics()).containsKey("window.rmse").containsEntry("window.count", 20.0);
        assertThat(view.aliases("manual")).isEmpty();
    }

    @Test
    void aVersionOverTheRegistrysSizeLimitIsNotPublishedAndTrainingGoesOn() {
        createModel(ModelVersions.defaultSpec("wide", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setCategoricalFeatures(List.of("c"))
                .setHashBits(8)
                .setPublishEvery(10)
                .setPublishIntervalMs(600_000)
                .build());
        createModel(ModelVersions.defaultSpec("narrow", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setPublishEvery(10)
                .setPublishIntervalMs(600_000)
                .build());
        // 256 weights plus AdaGrad's 256 sums are over 4 KB; a one-feature version is far below.
        start(FunctionsTopology.Settings.defaults("test-instance").withMaxVersionBytes(3000));
        for (int i = 0; i < 25; i++) {
            String id = "w" + i;
            events.pipeInput(
                    id.getBytes(StandardCharsets.UTF_8),
                    ("{\"id\":\"" + id + "\",\"model\":\"wide\",\"features\":" + "{\"x1\":" + (i % 2)
                                    + "},\"categories\":{\"c\":\"v" + i + "\"},\"label\":" + (i % 2) + "}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        train("narrow", 10, false);

        assertThat(published()).extracting(TestRecord::key).containsExactly(RegistryKeys.version("narrow", 1));
        assertThat(stats.versionsTooLarge.sum()).as("after 10 and 20 examples").isEqualTo(2);
        assertThat(predictions.readValuesToList()).hasSize(35);
        TrainerState wide = TrainerStateStore.of(driver.getStateStore(FunctionsTopology.TRAINER_STORE))
                .get("wide");
        // Checkpointed at the commit after the last publication attempt; the 5 examples since, one per
        // commit, are in the journal.
        assertThat(wide.getCurrent().getExamplesSeen()).isEqualTo(20);
        assertThat(wide.getCurrent().getVersion()).as("still version 0").isZero();
        assertThat(view.serving("wide")).map(ModelVersion::getVersion).contains(0L);
    }
}
