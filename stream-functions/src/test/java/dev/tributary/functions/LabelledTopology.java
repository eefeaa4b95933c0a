package dev.tributary.functions;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The whole topology (score, feedback join, train) on a test driver, for the tests of delayed
 * labels: {@code ctr}, a classifier that waits {@link #WAIT_MS} for its labels with a default label
 * of 0; {@code eta}, a regression that waits without a default; {@code spam}, a classifier that does
 * not wait. Every model publishes a version per example, so each example learned is seen on the
 * registry topic.
 */
final class LabelledTopology implements AutoCloseable {
    static final Topics TOPICS = Topics.defaults();
    static final long WAIT_MS = 60_000;

    final FunctionStats stats = new FunctionStats();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> events;
    final TestInputTopic<byte[], byte[]> feedback;
    final TestOutputTopic<byte[], byte[]> predictions;
    private final RegistryView view = new RegistryView();
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<String, RegistryRecord> registry;

    LabelledTopology(Path stateDir) {
        createModel(spec("ctr", Algorithm.LOGISTIC_REGRESSION)
                .setLabelWaitMs(WAIT_MS)
                .setDefaultLabel(0.0)
                .build());
        createModel(
                spec("eta", Algorithm.LINEAR_REGRESSION).setLabelWaitMs(WAIT_MS).build());
        createModel(spec("spam", Algorithm.LOGISTIC_REGRESSION).build());
        driver = StandardTopologyDriver.start(stateDir, view, stats);
        events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic(TOPICS.feedback(), new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(
                TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        registry =
                driver.createOutputTopic(TOPICS.models(), new StringDeserializer(), TributarySerdes.registryRecord());
    }

    @Override
    public void close() {
        driver.close();
    }

    static ModelSpec.Builder spec(String name, Algorithm algorithm) {
        return ModelVersions.defaultSpec(name, algorithm, List.of("x1"))
                .setPublishEvery(1)
                .setPublishIntervalMs(600_000);
    }

    void createModel(ModelSpec spec) {
        view.apply(RegistryKeys.spec(spec.getName()), new RegistryRecord(spec));
        view.apply(RegistryKeys.version(spec.getName(), 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
    }

    void event(String model, String id, double x1) {
        events.pipeInput(
                utf8(id), utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":" + x1 + "}}"));
    }

    void labelledEvent(String model, String id, double x1, double label) {
        events.pipeInput(
                utf8(id),
                utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":" + x1 + "},\"label\":"
                        + label + "}"));
    }

    void feedback(String model, String id, double label) {
        feedback.pipeInput(
                utf8(id), utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"label\":" + label + "}"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Moves the wall clock on: the label waits that are over by then end. */
    void advance(long ms) {
        driver.advanceWallClockTime(Duration.ofMillis(ms));
    }

    /** The versions published since the last call (one per example learned). */
    List<ModelVersion> versions() {
        return registry.readRecordsToList().stream()
                .map(TestRecord::value)
                .filter(r -> r.getEntry() instanceof ModelVersion)
                .map(r -> (ModelVersion) r.getEntry())
                .toList();
    }

    /** The dead letters written since the last call. */
    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    boolean noDeadLetters() {
        return deadLetters.isEmpty();
    }

    static String header(TestRecord<byte[], byte[]> r, String name) {
        return DeadLetters.header(r.headers(), name);
    }
}
