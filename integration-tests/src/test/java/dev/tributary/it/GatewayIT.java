package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.functions.ServedVersions;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.runtime.Gateway;
import dev.tributary.runtime.InstanceServer;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the functions on a real broker: a functions instance with its /metrics, /health and
 * /ready server, and a gateway (its own registry follower and catalog, as {@code tributary gateway}
 * runs it). Events posted to the gateway train a model and get predictions on the predictions
 * topic; the gateway's synchronous predict equals the score function's prediction of the same
 * event, from the same version; /metrics names every counter the operations guide lists.
 */
class GatewayIT {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayIT.class);
    private static final Topics TOPICS = Topics.defaults();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "gw";

    static TestBroker kafka;
    static Map<String, Object> client;
    static FunctionsRunner runner;
    static InstanceServer instance;
    static RegistryFollower follower;
    static Gateway.EventSink sink;
    static Gateway gateway;
    static ModelRegistry registry;
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(@TempDir Path state) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        runner = FunctionsRunner.start(
                FunctionsRunner.Config.local(kafka.bootstrapServers(), state).withApplicationId("gateway-it"));
        instance = InstanceServer.start(runner, "127.0.0.1", 0);
        follower = new RegistryFollower(client, TOPICS.models()).start();
        sink = Gateway.kafkaSink(client, TOPICS.events(), Duration.ofSeconds(10));
        gateway = new Gateway(
                new ModelCatalog(follower.view(), follower::awaitCaughtUp),
                sink,
                EventLimits.DEFAULT,
                "127.0.0.1",
                0,
                4);
        registry = new ModelRegistry(client, TOPICS.models());
        registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, List.of("x1", "x2"))
                .setPublishEvery(50)
                .setPublishIntervalMs(600_000)
                .build());
        LOG.info(
                "functions, /metrics on {} and the gateway on {} against the {}",
                instance.port(),
                gateway.port(),
                kafka.kind());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {gateway, sink, follower, instance, registry, runner, kafka}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {}", c, e);
                }
            }
        }
    }

    @Test
    void eventsInPredictionsOutAndPredictMatchesTheScoreFunction() throws Exception {
        assertThat(await(() -> get(instance.port(), "/ready").statusCode() == 200, Duration.ofSeconds(60)))
                .as("/ready turns 200")
                .isTrue();
        assertThat(get(instance.port(), "/health").statusCode()).isEqualTo(200);

        // 200 labelled events through the gateway: the model learns and publishes versions 1..4.
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            HttpResponse<String> response =
                    post(gateway.port(), "/v1/events", event("train-" + i, x1, x2, 2 * x1 - x2 > 0 ? 1 : 0));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        assertThat(post(gateway.port(), "/v1/events", "{\"id\": \"bad\", \"model\": \"gw\"}")
                        .statusCode())
                .isEqualTo(400);
        // Valid as an event, but of a model nobody created: refused, where the score function would dead-letter it.
        assertThat(post(
                                gateway.port(),
                                "/v1/events",
                                "{\"id\": \"lost\", \"model\": \"nobody\", \"features\": {\"a\": 1}}")
                        .statusCode())
                .isEqualTo(404);

        assertThat(await(
                        () -> runner.stats().versionsPublished.sum() >= 4
                                && runner.servedVersions()
                                                .of(MODEL)
                                                .map(ServedVersions.Served::version)
                                                .orElse(-1L)
                                        >= 4,
                        Duration.ofSeconds(30)))
                .as("versions published and served")
                .isTrue();
        long served = runner.servedVersions().of(MODEL).orElseThrow().version();

        // One unlabelled probe through the gateway, then the same features through predict.
        String probe = "{\"features\": {\"x1\": 0.8, \"x2\": -0.3}, \"categories\": {}}";
        assertThat(post(gateway.port(), "/v1/events", event("probe", 0.8, -0.3, null))
                        .statusCode())
                .isEqualTo(202);
        try (Outputs outputs = new Outputs(client, TOPICS, "gateway-it-reader")) {
            outputs.readUntil(
                    () -> outputs.predictions.stream()
                            .anyMatch(p -> p.getEventId().equals("probe")),
                    Duration.ofSeconds(30),
                    Duration.ZERO);
            Prediction scored = outputs.predictions.stream()
                    .filter(p -> p.getEventId().equals("probe"))
                    .findFirst()
                    .orElseThrow();
            assertThat(outputs.predictions).hasSize(201);
            assertThat(outputs.deadLetters)
                    .as("the gateway let nothing through that fails")
                    .isEmpty();
            assertThat(scored.getModelVersion()).isEqualTo(served);

            HttpResponse<String> response = post(gateway.port(), "/v1/models/" + MODEL + ":predict", probe);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode predicted = JSON.readTree(response.body());
            LOG.info(
                    "score function: version {} value {}; gateway: {}",
                    scored.getModelVersion(),
                    scored.getValue(),
                    predicted);
            assertThat(predicted.path("version").asLong()).isEqualTo(scored.getModelVersion());
            assertThat(predicted.path("value").asDouble()).isEqualTo(scored.getValue());
            assertThat(predicted.path("margin").asDouble()).isEqualTo(scored.getMargin());
            assertThat(predicted.path("predictedClass").asInt()).isEqualTo(scored.getPredictedClass());
            assertThat(scored.getMargin())
                    .as("a trained model, not the zero weights of version 0")
                    .isNotEqualTo(0.0);
        }
        assertThat(post(gateway.port(), "/v1/models/nobody:predict", probe).statusCode())
                .isEqualTo(404);

        HttpResponse<String> metrics = get(instance.port(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        String text = metrics.body();
        String own = String.join(
                "\n",
                text.lines()
                        .filter(l -> l.startsWith("tributary_") && !l.contains("_bucket"))
                        .toList());
        for (String name : List.of(
                "tributary_invocations_total",
                "tributary_events_scored_total",
                "tributary_errors_total",
                "tributary_dead_letters_total",
                "tributary_score_duration_seconds_bucket",
                "tributary_score_time_seconds_total",
                "tributary_examples_learned_total",
                "tributary_updates_rejected_total",
                "tributary_versions_published_total",
                "tributary_versions_promoted_total",
                "tributary_versions_refused_total",
                "tributary_versions_too_large_total",
                "tributary_model_version{",
                "tributary_model_version_age_seconds{",
                "tributary_model_metric{",
                "tributary_streams_state{",
                "records_lag_max",
                "kafka_stream_")) {
            assertThat(text).as("/metrics names " + name).contains(name);
        }
        assertThat(value(text, "tributary_invocations_total")).as(own).isEqualTo(201.0);
        assertThat(value(text, "tributary_dead_letters_total")).isEqualTo(0.0);
        assertThat(value(text, "tributary_model_version{")).isEqualTo((double) served);
        assertThat(text).contains("model=\"gw\"");
    }

    static String event(String id, double x1, double x2, Integer label) {
        return String.format(
                Locale.ROOT,
                "{\"id\": \"%s\", \"model\": \"%s\", \"features\": {\"x1\": %s, \"x2\": %s}%s}",
                id,
                MODEL,
                x1,
                x2,
                label == null ? "" : ", \"label\": " + label);
    }

    /** The value of the first sample line starting with {@code prefix}. */
    static double value(String metrics, String prefix) {
        return metrics.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(prefix));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static boolean await(CheckedCondition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.holds();
    }

    interface CheckedCondition {
        boolean holds() throws Exception;
    }
}
