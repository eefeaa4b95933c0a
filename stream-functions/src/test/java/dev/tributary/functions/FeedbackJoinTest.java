package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every outcome of a delayed label, on the whole topology (score, join, train). */
class FeedbackJoinTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path stateDir;

    private final RegistryView view = new RegistryView();
    private final FunctionStats stats = new FunctionStats();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> feedback;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<String, RegistryRecord> registry;

    @BeforeEach
    void start() {
        // Every model publishes a version per example, so each example learned is seen on the registry topic.
        createModel(spec("ctr", Algorithm.LOGISTIC_REGRESSION)
                .setLabelWaitMs(WAIT_MS)
                .setDefaultLabel(0.0)
                .build());
        createModel(
                spec("eta", Algorithm.LINEAR_REGRESSION).setLabelWaitMs(WAIT_MS).build());
        createModel(spec("spam", Algorithm.LOGISTIC_REGRESSION).build());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(
                FunctionsTopology.build(
                        TOPICS,
                        new ModelCatalog(view, timeout -> true),
                        FunctionsTopology.Settings.defaults("test-instance"),
                        stats),
                props);
        events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic(TOPICS.feedback(), new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(
                TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        registry =
                driver.createOutputTopic(TOPICS.models(), new StringDeserializer(), TributarySerdes.registryRecord());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static ModelSpec.Builder spec(String name, Algorithm algorithm) {
        return ModelVersions.defaultSpec(name, algorithm, List.of("x1"))
                .setPublishEvery(1)
                .setPublishIntervalMs(600_000);
    }

    private void createModel(ModelSpec spec) {
        view.apply(RegistryKeys.spec(spec.getName()), new RegistryRecord(spec));
        view.apply(RegistryKeys.version(spec.getName(), 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
    }

    private void event(String model, String id, double x1) {
        events.pipeInput(
                utf8(id), utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":" + x1 + "}}"));
    }

    private void labelledEvent(String model, String id, double x1, double label) {
        events.pipeInput(
                utf8(id),
                utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":" + x1 + "},\"label\":"
                        + label + "}"));
    }

    private void feedback(String model, String id, double label) {
        feedback.pipeInput(
                utf8(id), utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"label\":" + label + "}"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The versions published since the last call (one per example learned). */
    private List<ModelVersion> versions() {
        return registry.readRecordsToList().stream()
                .map(TestRecord::value)
                .filter(r -> r.getEntry() instanceof ModelVersion)
                .map(r -> (ModelVersion) r.getEntry())
                .toList();
    }

    private List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return DeadLetters.header(r.headers(), name);
    }

    @Test
    void matchingFeedbackTrainsOnceAndRecordsThePredictionTheUserGot() {
        event("ctr", "imp-1", 1.0);
        assertThat(predictions.readValuesToList()).hasSize(1);
        assertThat(versions()).isEmpty(); // no label yet: nothing learned
        assertThat(stats.labelsAwaited.sum()).isOne();
        assertThat(stats.pendingLabels.sum()).isOne();
        assertThat(stats.pendingLabelBytes.sum()).isPositive();

        feedback("ctr", "imp-1", 1.0);
        List<ModelVersion> learned = versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getModel()).isEqualTo("ctr");
        assertThat(learned.get(0).getExamplesSeen()).isOne();
        // Version 0 (zero weights) answered p = 0.5, class 1: right for label 1.
        assertThat(learned.get(0).getMetrics())
                .containsEntry("delayed.accuracy", 1.0)
                .containsEntry("delayed.count", 1.0)
                .containsEntry("delayed.logloss", Math.log(2));
        assertThat(learned.get(0).getSourceOffsets())
                .singleElement()
                .satisfies(r -> assertThat(r.getTopic()).isEqualTo(TOPICS.events()));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(stats.feedbackJoined.sum()).isOne();
        assertThat(stats.joinRatio()).isEqualTo(1.0);
    }

    @Test
    void theDelayedMetricScoresTheServedPredictionNotTheModelThatLearnsIt() {
        // The trainer learns "x1 = 1 is class 0" from labelled events; the served version stays 0 (p = 0.5, class 1).
        for (int i = 0; i < 30; i++) {
            labelledEvent("ctr", "t" + i, 1.0, 0.0);
        }
        event("ctr", "imp-1", 1.0);
        feedback("ctr", "imp-1", 1.0);
        List<ModelVersion> learned = versions();
        ModelVersion last = learned.get(learned.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(31);
        assertThat(last.getMetrics()).containsEntry("delayed.accuracy", 1.0).containsEntry("delayed.count", 1.0);
        assertThat(last.getMetrics().get("accuracy")).isLessThan(1.0); // test-then-train got the last one wrong
    }

    @Test
    void feedbackForAnIdNeverScoredIsAnUnmatchedDeadLetterOnceTheWaitIsOver() {
        feedback("ctr", "nobody", 1.0);
        assertThat(deadLetters.isEmpty()).isTrue(); // held: its event may be behind
        assertThat(stats.feedbackEarly.sum()).isOne();
        assertThat(stats.pendingLabels.sum()).isOne();
        // docs/operations.md: 52 bytes + 2·|MODEL/ID| + |topic| + the record's key and value
        String value = "{\"id\":\"nobody\",\"model\":\"ctr\",\"label\":1.0}";
        assertThat(stats.pendingLabelBytes.sum())
                .isEqualTo(52
                        + 2 * "ctr/nobody".length()
                        + TOPICS.feedback().length()
                        + "nobody".length()
                        + value.length());
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS + 1_000));
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE))
                .contains("no event 'nobody' of model 'ctr' waited for this "
                        + "label, nor was one scored within the label wait of " + WAIT_MS + " ms after it");
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo(TOPICS.feedback());
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("nobody");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("\"nobody\"");
        assertThat(versions()).isEmpty();
        assertThat(stats.feedbackUnmatched.sum()).isOne();
        assertThat(stats.feedbackDeadLetters.sum()).isOne();
        assertThat(stats.pendingLabels.sum()).isZero();
        assertThat(stats.pendingLabelBytes.sum()).isZero();
    }

    @Test
    void feedbackThatComesBeforeItsEventJoinsItWhenItIsScored() {
        feedback("ctr", "imp-1", 1.0);
        feedback("ctr", "imp-1", 0.0); // a second label before the event: a duplicate
        assertThat(header(deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("DUPLICATE_FEEDBACK");
        event("ctr", "imp-1", 1.0);
        List<ModelVersion> learned = versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getMetrics()).containsEntry("delayed.accuracy", 1.0); // it learned label 1
        assertThat(stats.feedbackJoined.sum()).isOne();
        feedback("ctr", "imp-1", 1.0); // and one after it joined
        assertThat(header(deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("DUPLICATE_FEEDBACK");
        driver.advanceWallClockTime(Duration.ofMillis(2 * WAIT_MS + 1_000));
        assertThat(versions()).isEmpty(); // neither the held label nor the marker trains again
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(stats.pendingLabels.sum()).isZero();
    }

    @Test
    void aSecondFeedbackIsADuplicateDeadLetterAndNeverTrains() {
        event("ctr", "imp-1", 1.0);
        feedback("ctr", "imp-1", 1.0);
        feedback("ctr", "imp-1", 0.0);
        assertThat(versions()).hasSize(1);
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("DUPLICATE_FEEDBACK");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("already learned");
        assertThat(stats.feedbackDuplicate.sum()).isOne();
        // The joined marker is kept until the wait would have ended, then removed.
        assertThat(stats.pendingLabels.sum()).isOne();
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS + 1_000));
        assertThat(stats.pendingLabels.sum()).isZero();
        assertThat(stats.pendingLabelBytes.sum()).isZero();
        assertThat(versions()).isEmpty(); // a marker never trains
    }

    @Test
    void anExpiredWaitTrainsWithTheDefaultLabel() {
        event("ctr", "imp-1", 1.0);
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS / 2));
        assertThat(versions()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS / 2 + 1_000));
        List<ModelVersion> learned = versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getExamplesSeen()).isOne();
        // The user saw class 1; the default label is 0.
        assertThat(learned.get(0).getMetrics()).containsEntry("delayed.accuracy", 0.0);
        assertThat(stats.labelWaitsDefaulted.sum()).isOne();
        assertThat(stats.pendingLabels.sum()).isZero();

        feedback("ctr", "imp-1", 1.0); // too late: held, and no event comes for it
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS + 1_000));
        assertThat(header(deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(versions()).isEmpty();
    }

    @Test
    void anExpiredWaitWithoutADefaultLabelIsDroppedAndCounted() {
        event("eta", "d-1", 3.0);
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS + 1_000));
        assertThat(versions()).isEmpty();
        assertThat(stats.labelWaitsDropped.sum()).isOne();
        assertThat(stats.labelWaitsDefaulted.sum()).isZero();
        assertThat(stats.pendingLabels.sum()).isZero();
        assertThat(stats.joinRatio()).isZero();
    }

    @Test
    void aRegressionLabelJoinsWithItsError() {
        event("eta", "d-1", 3.0);
        feedback("eta", "d-1", 42.5);
        ModelVersion v = versions().get(0);
        assertThat(v.getExamplesSeen()).isOne();
        assertThat(v.getMetrics()).containsEntry("delayed.rmse", 42.5).containsEntry("delayed.mae", 42.5);
    }

    @Test
    void aLabelOutsideZeroOrOneForAClassifierIsABadLabelAndTheEventKeepsWaiting() {
        event("ctr", "imp-1", 1.0);
        feedback("ctr", "imp-1", 2.0);
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("BAD_LABEL");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("label 2.0 is not 0 or 1");
        assertThat(versions()).isEmpty();
        feedback("ctr", "imp-1", 1.0);
        assertThat(versions()).hasSize(1);
    }

    @Test
    void aBadLabelBeforeItsEventIsRefusedAtOnce() {
        feedback("ctr", "imp-1", 7.0);
        assertThat(header(deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("BAD_LABEL");
        assertThat(stats.pendingLabels.sum()).isZero();
    }

    @Test
    void undecodableFeedbackIsADeadLetterWithTheReason() {
        feedback.pipeInput(utf8("k"), utf8("{\"id\":\"imp-1\",\"model\":\"ctr\"}"));
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("UNDECODABLE");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("missing 'label'");
    }

    @Test
    void avroFeedbackJoinsLikeJson() {
        event("ctr", "imp-1", 1.0);
        feedback.pipeInput(utf8("imp-1"), AvroCodec.of(Feedback.class).encode(new Feedback("imp-1", "ctr", 1.0, 5L)));
        assertThat(versions()).hasSize(1);
    }

    @Test
    void anEventWithItsLabelTrainsAtOnceAndWaitsForNothing() {
        labelledEvent("ctr", "imp-1", 1.0, 1.0);
        List<ModelVersion> learned = versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getMetrics()).doesNotContainKey("delayed.count");
        assertThat(stats.labelsAwaited.sum()).isZero();
        assertThat(stats.pendingLabels.sum()).isZero();
        feedback("ctr", "imp-1", 1.0);
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS + 1_000));
        assertThat(header(deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(versions()).isEmpty();
    }

    @Test
    void aModelWithoutALabelWaitKeepsNothingAndSaysSoToItsFeedback() {
        event("spam", "s-1", 1.0);
        assertThat(predictions.readValuesToList()).hasSize(1);
        assertThat(stats.labelsAwaited.sum()).isZero();
        assertThat(stats.pendingLabels.sum()).isZero();
        feedback("spam", "s-1", 1.0);
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("model 'spam' has no label wait");
        assertThat(versions()).isEmpty();
    }

    @Test
    void pendingLabelBytesAreWhatTheStoreHoldsAndFollowTheSizingFormula() {
        createModel(spec("ads", Algorithm.LOGISTIC_REGRESSION)
                .setFeatures(List.of("f1", "f2"))
                .setCategoricalFeatures(List.of("ad", "site"))
                .setHashBits(10)
                .setLabelWaitMs(WAIT_MS)
                .build());
        String id = "imp-00000081";
        events.pipeInput(
                utf8(id),
                utf8("{\"id\":\"" + id + "\",\"model\":\"ads\",\"features\":{\"f1\":1,\"f2\":2},"
                        + "\"categories\":{\"ad\":\"a7\",\"site\":\"s3\"}}"));
        long oneEvent = stats.pendingLabelBytes.sum();
        // docs/operations.md: bytes = 85 + 2·|MODEL/ID| + |topic| + |id| + 8·numeric + 12·categorical
        assertThat(oneEvent)
                .isEqualTo(
                        85 + 2 * "ads/".concat(id).length() + TOPICS.events().length() + id.length() + 8 * 2 + 12 * 2);
        event("eta", "d-1", 2.0);
        feedback("eta", "d-1", 3.0); // leaves a joined marker

        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(PendingLabels.STORE);
        long bytes = 0;
        long ids = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                bytes += entry.key.get().length + entry.value.length;
                ids += entry.key.get()[0] == 'i' ? 1 : 0;
            }
        }
        assertThat(ids).isEqualTo(2);
        assertThat(stats.pendingLabels.sum()).isEqualTo(ids);
        assertThat(stats.pendingLabelBytes.sum()).isEqualTo(bytes);
    }

    @Test
    void anIdPublishedAgainWaitsFromItsLatestEventAndExpiresOnce() {
        event("ctr", "imp-1", 1.0);
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS / 2));
        event("ctr", "imp-1", 1.0); // replaces the first: its wait starts again
        assertThat(stats.pendingLabels.sum()).isOne();
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS / 2 + 1_000)); // the first wait would end here
        assertThat(versions()).isEmpty();
        assertThat(stats.pendingLabels.sum()).isOne();
        driver.advanceWallClockTime(Duration.ofMillis(WAIT_MS / 2));
        assertThat(versions()).hasSize(1);
        assertThat(stats.labelWaitsDefaulted.sum()).isOne();
        assertThat(stats.pendingLabels.sum()).isZero();
        assertThat(stats.pendingLabelBytes.sum()).isZero();
    }

    @Test
    void theSameIdOfTwoModelsWaitsTwice() {
        event("ctr", "same", 1.0);
        event("eta", "same", 1.0);
        feedback("eta", "same", 4.0);
        feedback("ctr", "same", 1.0);
        assertThat(versions()).extracting(ModelVersion::getModel).containsExactly("eta", "ctr");
        assertThat(deadLetters.isEmpty()).isTrue();
    }
}
