package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.DeadLetters;
import dev.tributary.functions.FunctionStats;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.functions.spec.FunctionSpecReader;
import dev.tributary.functions.spec.FunctionSpecs;
import dev.tributary.functions.spec.Routing;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.InstanceServer;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function file with two functions on their own trigger topics (one a pattern that matches no
 * topic when its function starts: its topics are created while it runs), each run as its own Kafka Streams application against a real broker: each output topic gets exactly one
 * prediction per event of its function's models, training publishes a version per batchSize
 * examples, and an event whose scoring keeps failing ends in the dead letters with its attempts.
 */
class FunctionSpecsIT {
    static final String FILE = """
      functions:
        - name: quotes
          kind: score
          trigger: {topics: [it.orders]}
          models: [quotes]
          output: it.quotes
        - name: sensors
          trigger: {pattern: "it\\\\.sensor\\\\..*"}
          models: [sensor]
          output: it.sensor-predictions
          batchSize: 5
        - name: flaky
          kind: score
          trigger: {topics: [it.flaky]}
          retries: 2
          backoff: 10ms
        """;
    static final int QUOTES = 10;
    static final int SENSOR_EVENTS = 20;

    static TestBroker kafka;
    static Map<String, Object> client;
    static final List<FunctionsRunner> runners = new ArrayList<>();
    static KafkaStreams flaky;
    static ModelRegistry registry;
    static final List<String> quoteIds = new ArrayList<>();
    static final List<String> sensorIds = new ArrayList<>();
    static Outputs quotes;
    static Outputs sensors;

    @BeforeAll
    static void runTheFile(@TempDir Path stateDir) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            // No topic of the sensors pattern exists yet when its function starts.
            Topics.create(admin, List.of(new NewTopic("it.flaky", 1, (short) -1)));
        }
        registry = new ModelRegistry(client, Topics.defaults().models());
        for (String model : List.of("quotes", "sensor")) {
            registry.createModel(ModelVersions.defaultSpec(model, Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                    .setPublishEvery(1000)
                    .setPublishIntervalMs(3_600_000)
                    .build());
        }
        FunctionSpecs file = FunctionSpecReader.read(FILE, "functions.yaml");
        FunctionsRunner.Config base = FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir);
        for (Routing routing : file.routings()) {
            FunctionsRunner.Config config = base.forFunction(routing);
            if (!routing.self().name().equals("flaky")) {
                runners.add(FunctionsRunner.start(config));
                continue;
            }
            // The registry cannot be reached from this function: every lookup throws, as a real outage would.
            ModelCatalog unreachable = new ModelCatalog(new RegistryView(), timeout -> {
                throw new IllegalStateException("registry unreachable");
            });
            flaky = new KafkaStreams(
                    FunctionsTopology.build(
                            config.topics(), unreachable, config.settings(), new FunctionStats(), routing),
                    FunctionsRunner.streamsProperties(config));
            flaky.start();
        }
        for (FunctionsRunner runner : runners) {
            assertThat(runner.awaitRunning(Duration.ofSeconds(60)))
                    .as(runner.config().applicationId())
                    .isTrue();
        }
        try (Admin admin = Admin.create(client)) {
            // Topics created while the function runs: the pattern takes them up at its next metadata refresh.
            Topics.create(
                    admin,
                    List.of(new NewTopic("it.sensor.a", 2, (short) -1), new NewTopic("it.sensor.b", 1, (short) -1)));
        }

        try (KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", true),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < QUOTES; i++) {
                quoteIds.add(send(out, "it.orders", "quotes", "q" + i, i % 2 == 0 ? 1 : null));
            }
            send(out, "it.orders", "sensor", "stray-1", 1); // no function triggered by it.orders serves it: skipped
            send(out, "it.orders", "sensor", "stray-2", null);
            for (int i = 0; i < SENSOR_EVENTS; i++) {
                sensorIds.add(send(out, i % 2 == 0 ? "it.sensor.a" : "it.sensor.b", "sensor", "s" + i, i % 2));
            }
            send(out, "it.flaky", "anything", "doomed", null);
            out.flush();
        }
        // One dead letter is due (the flaky function's); the quiet period after it would show a second.
        quotes = new Outputs(client, outputs("it.quotes"), "it-quotes-reader")
                .readUntil(QUOTES, 1, Duration.ofSeconds(90), Duration.ofSeconds(2));
        sensors = new Outputs(client, outputs("it.sensor-predictions"), "it-sensors-reader")
                .readUntil(SENSOR_EVENTS, 1, Duration.ofSeconds(90), Duration.ofSeconds(2));
    }

    /** Tributary's topics with another predictions topic, to read a function's output with {@link Outputs}. */
    private static Topics outputs(String predictions) {
        Topics t = Topics.defaults();
        return new Topics(t.events(), predictions, t.models(), t.deadLetters(), t.usage());
    }

    private static String send(KafkaProducer<byte[], byte[]> out, String topic, String model, String id, Integer label)
            throws Exception {
        String json = "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":"
                + (label == null ? 0.5 : label) + "}" + (label == null ? "" : ",\"label\":" + label) + "}";
        out.send(new ProducerRecord<>(
                        topic, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        return id;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {quotes, sensors, registry}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what the test opened
            }
        }
        if (flaky != null) {
            flaky.close(Duration.ofSeconds(30));
        }
        runners.forEach(FunctionsRunner::close);
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void eachOutputTopicGetsExactlyOnePredictionPerEventOfItsModels() {
        assertThat(quotes.predictionsPerEvent())
                .containsOnlyKeys(quoteIds)
                .allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(sensors.predictionsPerEvent())
                .containsOnlyKeys(sensorIds)
                .allSatisfy((id, n) -> assertThat(n).isOne());
    }

    @Test
    void eventsNoFunctionServesAreSkippedAndAnEventThatKeepsFailingIsDeadLetteredOnce() throws Exception {
        FunctionsRunner quotesFunction = runners.stream()
                .filter(r -> r.config().routing().self().name().equals("quotes"))
                .findFirst()
                .orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (quotesFunction.stats().skipped.sum() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(quotesFunction.stats().skipped.sum()).isEqualTo(2);
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        quotes.deadLetters.forEach(r -> byKey.merge(new String(r.key(), StandardCharsets.UTF_8), r, (a, b) -> {
            throw new AssertionError("two dead letters for one event");
        }));
        assertThat(byKey).containsOnlyKeys("doomed");
        ConsumerRecord<byte[], byte[]> doomed = byKey.get("doomed");
        assertThat(header(doomed, DeadLetters.ERROR_CLASS)).isEqualTo("FAILED");
        assertThat(header(doomed, DeadLetters.ATTEMPTS)).isEqualTo("3");
        assertThat(header(doomed, DeadLetters.ERROR_MESSAGE))
                .contains("failed after 3 attempts", "registry unreachable");
        assertThat(header(doomed, DeadLetters.SOURCE_TOPIC)).isEqualTo("it.flaky");
    }

    @Test
    void trainingPublishesAVersionPerBatchSizeExamplesAndAScoreFunctionDoesNotTrain() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (latest("sensor") < SENSOR_EVENTS && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(registry.versions("sensor").values())
                .extracting(ModelVersion::getExamplesSeen)
                .containsExactly(0L, 5L, 10L, 15L, 20L);
        assertThat(registry.versions("quotes")).containsOnlyKeys(0L);
    }

    @Test
    void oneHttpServerReportsEveryFunctionOfTheFile() throws Exception {
        try (InstanceServer server = InstanceServer.start(runners, "127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (FunctionsRunner r : runners) {
                assertThat(body)
                        .containsPattern("(?m)^tributary_invocations_total\\{[^}]*function=\""
                                + r.config().routing().self().name() + "\"[^}]*} \\S+$");
            }
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    private static long latest(String model) {
        return registry.versions(model).lastEntry().getValue().getExamplesSeen();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return DeadLetters.header(r.headers(), name);
    }
}
