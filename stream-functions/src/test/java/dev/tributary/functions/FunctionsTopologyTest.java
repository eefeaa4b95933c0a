package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import dev.tributary.schema.serde.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionsTopologyTest {
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private final RegistryView view = new RegistryView();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<String, RegistryRecord> versions;
    private TestOutputTopic<String, UsageRecord> usage;
    private final FunctionStats stats = new FunctionStats();

    @BeforeEach
    void start() {
        createModel(ModelVersions.defaultSpec("prices", Algorithm.LINEAR_REGRESSION, List.of("x1", "x2"))
                .setPublishEvery(10)
                .setPublishIntervalMs(60_000)
                .build());
        createModel(ModelVersions.defaultSpec("spam", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setPublishEvery(10)
                .setPublishIntervalMs(60_000)
                .build());
        driver = StandardTopologyDriver.start(stateDir, view, stats);
        events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(
                TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        versions =
                driver.createOutputTopic(TOPICS.models(), new StringDeserializer(), TributarySerdes.registryRecord());
        usage = driver.createOutputTopic(
                TOPICS.usage(),
                new StringDeserializer(),
                TributarySerdes.usageRecord().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void createModel(ModelSpec spec) {
        view.apply(RegistryKeys.spec(spec.getName()), new RegistryRecord(spec));
        view.apply(RegistryKeys.version(spec.getName(), 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
    }

    private void send(String key, String json) {
        events.pipeInput(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    private static Prediction prediction(byte[] value) {
        return AvroCodec.of(Prediction.class).decode(value);
    }

    @Test
    void scoresEveryEventWithTheVersionItUsed() {
        send("e1", "{\"id\":\"e1\",\"model\":\"prices\",\"features\":{\"x1\":1,\"x2\":2}}");
        Prediction p = prediction(predictions.readValue());
        assertThat(p.getEventId()).isEqualTo("e1");
        assertThat(p.getModel()).isEqualTo("prices");
        assertThat(p.getModelVersion()).isZero();
        assertThat(p.getAlgorithm()).isEqualTo(Algorithm.LINEAR_REGRESSION);
        assertThat(p.getPredictedClass()).isNull();
        assertThat(p.getValue()).isZero();
        assertThat(versions.isEmpty()).isTrue();
    }

    @Test
    void acceptsAvroEventsAsWellAsJson() {
        Event e = Event.newBuilder()
                .setId("a1")
                .setModel("spam")
                .setFeatures(Map.of("x1", 3.0))
                .setTimestamp(5)
                .build();
        events.pipeInput(
                "a1".getBytes(StandardCharsets.UTF_8), AvroCodec.of(Event.class).encode(e));
        Prediction p = prediction(predictions.readValue());
        assertThat(p.getEventId()).isEqualTo("a1");
        assertThat(p.getValue()).isEqualTo(0.5); // sigmoid of a zero margin
        assertThat(p.getPredictedClass()).isEqualTo(1);
        assertThat(p.getEventTimestamp()).isEqualTo(5);
    }

    @Test
    void labelledEventsTrainAndPublishAVersionEveryTenExamples() {
        for (int i = 0; i < 25; i++) {
            send(
                    "k" + i,
                    "{\"id\":\"t" + i + "\",\"model\":\"prices\",\"features\":{\"x1\":" + i + ",\"x2\":1},\"label\":"
                            + (2.0 * i + 1) + "}");
        }
        List<TestRecord<String, RegistryRecord>> published = versions.readRecordsToList();
        assertThat(published)
                .extracting(TestRecord::key)
                .containsExactly(RegistryKeys.version("prices", 1), RegistryKeys.version("prices", 2));
        ModelVersion v2 = (ModelVersion) published.get(1).value().getEntry();
        assertThat(v2.getExamplesSeen()).isEqualTo(20);
        assertThat(v2.getParentVersion()).isEqualTo(1L);
        assertThat(v2.getProducedBy()).startsWith("test-instance/");
        assertThat(v2.getMetrics()).containsKeys("mae", "rmse", "r2");
        assertThat(v2.getSourceOffsets()).singleElement().satisfies(r -> {
            assertThat(r.getTopic()).isEqualTo(TOPICS.events());
            assertThat(r.getFromOffset()).isEqualTo(10);
            assertThat(r.getToOffset()).isEqualTo(19);
        });
        assertThat(java.util.Arrays.stream(Vectors.fromBytes(v2.getWeights()))
                        .map(Math::abs)
                        .sum())
                .isPositive();
        assertThat(predictions.readValuesToList()).hasSize(25);
    }

    @Test
    void newVersionsReachTheScorer() {
        for (int i = 0; i < 10; i++) {
            send(
                    "k" + i,
                    "{\"id\":\"t" + i + "\",\"model\":\"prices\",\"features\":{\"x1\":" + i + ",\"x2\":1},\"label\":"
                            + (3.0 * i) + "}");
        }
        TestRecord<String, RegistryRecord> v1 = versions.readRecord();
        view.apply(v1.key(), v1.value()); // what the registry follower does in a running instance
        predictions.readValuesToList();
        send("after", "{\"id\":\"after\",\"model\":\"prices\",\"features\":{\"x1\":5,\"x2\":1}}");
        Prediction p = prediction(predictions.readValue());
        assertThat(p.getModelVersion()).isEqualTo(1);
        assertThat(p.getValue()).isNotZero();
    }

    @Test
    void unusableRecordsBecomeDeadLettersWithTheirReason() {
        send("bad-bytes", "not json");
        send("unknown", "{\"id\":\"u\",\"model\":\"nope\",\"features\":{\"x1\":1}}");
        send("missing", "{\"id\":\"m\",\"model\":\"prices\",\"features\":{\"x1\":1}}");
        send("label", "{\"id\":\"l\",\"model\":\"spam\",\"features\":{\"x1\":1},\"label\":3}");
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(4);
        assertThat(dead)
                .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS))
                .containsExactly("UNDECODABLE", "UNKNOWN_MODEL", "BAD_FEATURES", "BAD_LABEL");
        assertThat(DeadLetters.header(dead.get(2).headers(), DeadLetters.ERROR_MESSAGE))
                .contains("missing feature 'x2'");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("bad-bytes");
        assertThat(DeadLetters.header(dead.get(3).headers(), DeadLetters.SOURCE_OFFSET))
                .isEqualTo("3");
        assertThat(predictions.isEmpty()).isTrue();
        assertThat(versions.isEmpty()).isTrue();
    }

    @Test
    void progressiveMetricsOfTheTrainFunctionMatchTheLearnerRunAlone() {
        java.util.Random random = new java.util.Random(3);
        dev.tributary.learn.Learner alone = dev.tributary.learn.Learners.create(
                ModelVersions.configOf(view.spec("prices").orElseThrow()));
        dev.tributary.learn.FeatureVector x = new dev.tributary.learn.FeatureVector(2);
        for (int i = 0; i < 2000; i++) {
            double x1 = 100 + 30 * random.nextGaussian();
            double x2 = 0.01 * random.nextGaussian();
            double y = 0.2 * x1 - 300 * x2 + 1 + 0.1 * random.nextGaussian();
            send(
                    "k" + i,
                    "{\"id\":\"t" + i + "\",\"model\":\"prices\",\"features\":{\"x1\":" + x1 + ",\"x2\":" + x2
                            + "},\"label\":" + y + "}");
            x.clear();
            x.add(0, x1);
            x.add(1, x2);
            alone.learn(x, y);
            // Another model trained by the same task in between must not disturb this one.
            send(
                    "s" + i,
                    "{\"id\":\"s" + i + "\",\"model\":\"spam\",\"features\":{\"x1\":" + x2 * 1000 + "},\"label\":"
                            + (x2 > 0 ? 1 : 0) + "}");
        }
        List<ModelVersion> published = versions.readValuesToList().stream()
                .map(r -> (ModelVersion) r.getEntry())
                .filter(v -> v.getModel().equals("prices"))
                .toList();
        ModelVersion last = published.get(published.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(2000);
        assertThat(last.getMetrics().get("r2"))
                .isEqualTo(alone.metrics().values().get("r2"));
        assertThat(last.getMetrics().get("r2")).isGreaterThan(0.9);
    }

    @Test
    void usageRecordsCountEveryEventPerModelOncePerInterval() {
        for (int i = 0; i < 7; i++) {
            send("p" + i, "{\"id\":\"p" + i + "\",\"model\":\"prices\",\"features\":{\"x1\":1,\"x2\":2}}");
        }
        for (int i = 0; i < 3; i++) {
            send("s" + i, "{\"id\":\"s" + i + "\",\"model\":\"spam\",\"features\":{\"x1\":1},\"label\":1}");
        }
        send("bad-label", "{\"id\":\"b\",\"model\":\"spam\",\"features\":{\"x1\":1},\"label\":3}");
        send("bad-bytes", "not json");
        send("unknown", "{\"id\":\"u\",\"model\":\"nope\",\"features\":{\"x1\":1}}");
        assertThat(usage.isEmpty()).as("nothing before the interval ends").isTrue();

        driver.advanceWallClockTime(java.time.Duration.ofSeconds(10));

        Map<String, UsageRecord> byModel = new java.util.HashMap<>();
        usage.readKeyValuesToList().forEach(kv -> {
            assertThat(kv.key).isEqualTo("functions/" + kv.value.getModel());
            assertThat(byModel.put(kv.value.getModel(), kv.value))
                    .as("one record per model")
                    .isNull();
        });
        assertThat(byModel).containsOnlyKeys("prices", "spam", UsageAccount.NO_MODEL);
        assertThat(byModel.get("prices").getInvocations()).isEqualTo(7);
        assertThat(byModel.get("prices").getErrors()).isZero();
        assertThat(byModel.get("spam").getInvocations()).isEqualTo(4);
        assertThat(byModel.get("spam").getErrors()).isEqualTo(1);
        assertThat(byModel.get(UsageAccount.NO_MODEL).getInvocations()).isEqualTo(2);
        assertThat(byModel.get(UsageAccount.NO_MODEL).getErrors()).isEqualTo(2);
        UsageRecord prices = byModel.get("prices");
        assertThat(prices.getFunction()).isEqualTo("functions");
        assertThat(prices.getInstance()).isEqualTo("test-instance");
        assertThat(prices.getIntervalEnd() - prices.getIntervalStart()).isEqualTo(10_000);
        assertThat(prices.getCpuMillis()).isPositive();
        assertThat(prices.getGbSeconds()).isPositive();
        assertThat(prices.getHeapBytes())
                .as("the function's configured memory, not this JVM's heap")
                .isEqualTo(FunctionSpec.DEFAULT_MEMORY_BYTES);
        assertThat(stats.usageRecords.sum()).isEqualTo(3);
        assertThat(stats.usageUnwritten.sum()).isZero();

        send("later", "{\"id\":\"later\",\"model\":\"prices\",\"features\":{\"x1\":1,\"x2\":2}}");
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(10));
        assertThat(usage.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.getModel()).isEqualTo("prices");
            assertThat(r.getInvocations()).isEqualTo(1);
            assertThat(r.getIntervalStart()).isEqualTo(prices.getIntervalEnd());
        });
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(10));
        assertThat(usage.isEmpty()).as("an idle interval writes nothing").isTrue();

        send("after-idle", "{\"id\":\"after-idle\",\"model\":\"prices\",\"features\":{\"x1\":1,\"x2\":2}}");
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(10));
        UsageRecord afterIdle = usage.readValue();
        assertThat(afterIdle.getIntervalEnd() - afterIdle.getIntervalStart())
                .as("the idle interval is not billed")
                .isEqualTo(10_000);
    }

    @Test
    void aFlushRequestWritesTheOpenUsageBeforeTheIntervalEnds() {
        send("p", "{\"id\":\"p\",\"model\":\"prices\",\"features\":{\"x1\":1,\"x2\":2}}");
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(usage.isEmpty()).isTrue();
        stats.requestUsageFlush();
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(usage.readValuesToList())
                .singleElement()
                .satisfies(r -> assertThat(r.getInvocations()).isEqualTo(1));
        assertThat(stats.usageUnwritten.sum()).isZero();
    }
}
