package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecReader;
import dev.tributary.functions.spec.Routing;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Functions of one file sharing a trigger topic, their retries and timeouts, and their batch size, one topology each. */
class FunctionRoutingTest {
    static final Topics TOPICS = Topics.defaults();
    static final String FILE = """
      functions:
        - name: quotes
          kind: score
          trigger: {topics: [in]}
          models: [prices]
          output: quotes.out
        - name: spam
          trigger: {topics: [in]}
          models: [spam]
          output: spam.out
          batchSize: 3
        - name: flaky
          trigger: {pattern: "flaky\\\\..*"}
          retries: 2
          backoff: 1ms
        """;
    /** The plain {@code tributary run} next to the file, in a process of its own: every model, triggered by "in". */
    static final Routing EVERY_MODEL = Routing.alone(FunctionSpec.standard(
            new Topics("in", TOPICS.predictions(), TOPICS.models(), TOPICS.deadLetters(), TOPICS.usage()), "plain"));

    @TempDir
    Path stateDir;

    final RegistryView view = new RegistryView();
    final FunctionStats stats = new FunctionStats();

    FunctionRoutingTest() {
        for (String model : List.of("prices", "spam")) {
            ModelSpec spec = ModelVersions.defaultSpec(model, Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                    .setPublishEvery(1000)
                    .setPublishIntervalMs(3_600_000)
                    .build();
            view.apply(RegistryKeys.spec(model), new RegistryRecord(spec));
            view.apply(RegistryKeys.version(model, 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        }
    }

    /** One function of {@link #FILE} in a test driver, its registry lookups made by {@code awaitCaughtUp}. */
    private TopologyTestDriver driver(String name, Function<Duration, Boolean> awaitCaughtUp) throws Exception {
        return driver(
                FunctionSpecReader.read(FILE, "functions.yaml").routings().stream()
                        .filter(r -> r.self().name().equals(name))
                        .findFirst()
                        .orElseThrow(),
                awaitCaughtUp);
    }

    private TopologyTestDriver driver(Routing routing, Function<Duration, Boolean> awaitCaughtUp) throws Exception {
        String name = routing.self().name();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, routing.self().applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
        return new TopologyTestDriver(
                FunctionsTopology.build(
                        TOPICS,
                        new ModelCatalog(view, awaitCaughtUp),
                        FunctionsTopology.Settings.defaults("test"),
                        stats,
                        routing),
                props);
    }

    private static void send(TopologyTestDriver driver, String topic, String model, String id, Integer label) {
        String json = "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":1}"
                + (label == null ? "" : ",\"label\":" + label) + "}";
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> predictedIds(TopologyTestDriver driver, String topic) {
        return driver
                .createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readValuesToList()
                .stream()
                .map(v -> AvroCodec.of(Prediction.class).decode(v).getEventId())
                .toList();
    }

    private static List<TestRecord<byte[], byte[]>> deadLetters(TopologyTestDriver driver) {
        return driver.createOutputTopic(TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    private static void sendTheMix(TopologyTestDriver driver) {
        send(driver, "in", "prices", "p1", null);
        send(driver, "in", "spam", "s1", null);
        send(driver, "in", "nobody", "n1", null);
        driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput("junk".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFunctionWithAListScoresItsModelsAndSkipsEverythingElseWithoutADeadLetter() throws Exception {
        try (TopologyTestDriver quotes = driver("quotes", t -> true)) {
            sendTheMix(quotes);
            assertThat(predictedIds(quotes, "quotes.out")).containsExactly("p1");
            assertThat(deadLetters(quotes)).isEmpty();
            assertThat(stats.skipped.sum()).as("spam, nobody and the junk").isEqualTo(3);
            assertThat(stats.invocations())
                    .as("skipped events are not its invocations")
                    .isOne();
        }
        try (TopologyTestDriver spam = driver("spam", t -> true)) {
            sendTheMix(spam);
            assertThat(predictedIds(spam, "spam.out")).containsExactly("s1");
            assertThat(deadLetters(spam)).isEmpty();
        }
    }

    @Test
    void theFunctionThatServesEveryModelDeadLettersWhatNoModelServesAndTheFirstServingFunctionTheRest()
            throws Exception {
        try (TopologyTestDriver plain = driver(EVERY_MODEL, t -> true)) {
            sendTheMix(plain);
            send(plain, "in", "prices", "p-bad", 7);
            assertThat(predictedIds(plain, TOPICS.predictions())).containsExactly("p1", "s1");
            assertThat(deadLetters(plain))
                    .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS))
                    .containsExactly("UNKNOWN_MODEL", "UNDECODABLE", "BAD_LABEL");
        }
        try (TopologyTestDriver quotes = driver("quotes", t -> true)) {
            send(quotes, "in", "prices", "p-bad", 7);
            assertThat(deadLetters(quotes))
                    .as("a function of its file serves prices: it writes it, as the plain run does")
                    .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS))
                    .containsExactly("BAD_LABEL");
        }
    }

    @Test
    void aFunctionWithJsonOutputWritesEachPredictionAsAFlatJsonObject() throws Exception {
        Routing json = FunctionSpecReader.read(
                        "functions: [{name: j, kind: score, trigger: {topics: [in]}, output: j.out,"
                                + " outputFormat: json}]",
                        "f.yaml")
                .routings()
                .get(0);
        try (TopologyTestDriver driver = driver(json, t -> true)) {
            send(driver, "in", "prices", "p1", null);
            String value = driver.createOutputTopic("j.out", new StringDeserializer(), new StringDeserializer())
                    .readValue();
            com.fasterxml.jackson.databind.JsonNode prediction =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
            assertThat(prediction.get("eventId").asText()).isEqualTo("p1");
            assertThat(prediction.get("model").asText()).isEqualTo("prices");
            assertThat(prediction.get("modelVersion").asLong()).isZero();
            assertThat(prediction.get("value").asDouble()).isEqualTo(0.5);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> FunctionSpecReader.read("functions: [{name: j, outputFormat: xml}]", "f.yaml"))
                .hasMessageContaining("outputFormat must be avro or json, got 'xml'");
    }

    @Test
    void theBatchSizeOfTheFileReplacesTheModelsPublishEvery() throws Exception {
        try (TopologyTestDriver spam = driver("spam", t -> true)) {
            for (int i = 0; i < 7; i++) {
                send(spam, "in", "spam", "s" + i, i % 2);
            }
            List<ModelVersion> versions = spam
                    .createOutputTopic(
                            TOPICS.models(),
                            new StringDeserializer(),
                            TributarySerdes.registryRecord().deserializer())
                    .readValuesToList()
                    .stream()
                    .map(r -> r.getEntry())
                    .filter(ModelVersion.class::isInstance)
                    .map(ModelVersion.class::cast)
                    .toList();
            assertThat(versions).extracting(ModelVersion::getExamplesSeen).containsExactly(3L, 6L);
        }
    }

    @Test
    void anEventThatKeepsFailingIsRetriedThenDeadLetteredWithItsAttempts() throws Exception {
        try (TopologyTestDriver flaky = driver("flaky", timeout -> {
            throw new IllegalStateException("registry unreachable");
        })) {
            send(flaky, "flaky.one", "unknown-model", "f1", null); // an unknown model makes scoring ask the registry
            send(flaky, "flaky.two", "spam", "f2", null);
            assertThat(predictedIds(flaky, TOPICS.predictions())).containsExactly("f2");
            TestRecord<byte[], byte[]> dead = deadLetters(flaky).get(0);
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS))
                    .isEqualTo("FAILED");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ATTEMPTS)).isEqualTo("3");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE))
                    .isEqualTo("failed after 3 attempts: java.lang.IllegalStateException: registry unreachable");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC))
                    .isEqualTo("flaky.one");
        }
    }

    @Test
    void retriesWaitLongerEachTimeUpToTheCap() throws Exception {
        FunctionSpec f = FunctionSpecReader.read("functions: [{name: a, backoff: 100ms, maxBackoff: 350ms}]", "f")
                .functions()
                .get(0);
        Retries retries = new Retries(f);
        assertThat(List.of(retries.waitBefore(2), retries.waitBefore(3), retries.waitBefore(4), retries.waitBefore(5)))
                .containsExactly(100_000_000L, 200_000_000L, 350_000_000L, 350_000_000L);
    }
}
