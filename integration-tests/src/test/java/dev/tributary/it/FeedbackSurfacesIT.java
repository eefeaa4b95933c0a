package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cli.Tributary;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.FeedbackPublisher;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.runtime.Gateway;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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

/**
 * The ways a user sends delayed labels, on a real broker with the functions running: unlabelled
 * events through the gateway, then their labels — a third through {@code POST /v1/feedback}, a third
 * as Avro through {@link FeedbackPublisher}, a third with {@code tributary produce --feedback} — and
 * the model learns each exactly once. Refused feedback (a bad label at the gateway, a file with an
 * unknown model) sends nothing: a single stray record would show up as a duplicate dead letter.
 */
class FeedbackSurfacesIT {
    private static final Topics TOPICS = Topics.defaults();
    private static final String MODEL = "fb";
    private static final int EVENTS = 300;

    static TestBroker kafka;
    static Map<String, Object> client;
    static FunctionsRunner runner;
    static RegistryFollower follower;
    static Gateway.EventSink events;
    static Gateway.EventSink feedback;
    static Gateway gateway;
    static ModelRegistry registry;

    @BeforeAll
    static void start(@TempDir Path state) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        runner = FunctionsRunner.start(FunctionsRunner.Config.local(kafka.bootstrapServers(), state)
                .withApplicationId("feedback-surfaces-it"));
        follower = new RegistryFollower(client, TOPICS.models()).start();
        events = Gateway.kafkaSink(client, TOPICS.events(), Duration.ofSeconds(10));
        feedback = Gateway.kafkaSink(client, TOPICS.feedback(), Duration.ofSeconds(10));
        gateway = new Gateway(
                new ModelCatalog(follower.view(), follower::awaitCaughtUp),
                events,
                feedback,
                EventLimits.DEFAULT,
                "127.0.0.1",
                0,
                4);
        registry = new ModelRegistry(client, TOPICS.models());
        registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, List.of("x1", "x2"))
                .setPublishEvery(50)
                .setPublishIntervalMs(600_000)
                .setLabelWaitMs(600_000)
                .build());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {gateway, events, feedback, follower, registry, runner, kafka}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }

    @Test
    void labelsFromTheGatewayAvroAndAFileTrainTheModelOnceEach(@TempDir Path dir) throws Exception {
        assertThat(runner.awaitRunning(Duration.ofSeconds(60))).isTrue();
        Random random = new Random(11);
        int[] labels = new int[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            labels[i] = 2 * x1 - x2 > 0 ? 1 : 0;
            HttpResponse<String> response = GatewayIT.post(
                    gateway.port(),
                    "/v1/events",
                    String.format(
                            Locale.ROOT,
                            "{\"id\": \"fb-%d\", \"model\": \"%s\", \"features\": {\"x1\": %s, \"x2\": %s}}",
                            i,
                            MODEL,
                            x1,
                            x2));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        try (Outputs outputs = new Outputs(client, TOPICS, "feedback-surfaces-reader")) {
            // Feedback joins an event that has been scored and is waiting: send it once every event has its prediction.
            outputs.readUntil(EVENTS, 0, Duration.ofSeconds(60), Duration.ZERO);
            assertThat(outputs.predictions).hasSize(EVENTS);
            assertThat(runner.stats().labelsAwaited.sum()).isEqualTo(EVENTS);

            HttpResponse<String> refused = GatewayIT.post(
                    gateway.port(), "/v1/feedback", "{\"id\": \"fb-0\", \"model\": \"fb\", \"label\": 2}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("is not 0 or 1");
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> response = GatewayIT.post(
                        gateway.port(),
                        "/v1/feedback",
                        "{\"id\": \"fb-" + i + "\", \"model\": \"fb\", \"label\": " + labels[i] + "}");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            }

            try (FeedbackPublisher avro =
                    new FeedbackPublisher(client, TOPICS.feedback(), FeedbackPublisher.Encoding.AVRO)) {
                avro.registerSchema(TOPICS.schemas());
                for (int i = 100; i < 200; i++) {
                    avro.send(new Feedback("fb-" + i, MODEL, (double) labels[i], 0L));
                }
                avro.flush();
            }

            StringBuilder bad = new StringBuilder("id,model,label\n");
            StringBuilder good = new StringBuilder("id,model,label\n");
            for (int i = 200; i < EVENTS; i++) {
                bad.append("fb-").append(i).append(",fb,").append(1 - labels[i]).append('\n');
                good.append("fb-").append(i).append(",fb,").append(labels[i]).append('\n');
            }
            bad.append("fb-0,nobody,1\n");
            CliResult badRun = produceFeedback(Files.writeString(dir.resolve("bad.csv"), bad));
            assertThat(badRun.code).as(badRun.err).isEqualTo(1);
            assertThat(badRun.err.strip()).startsWith("tributary: bad.csv line 102: unknown model 'nobody'");
            CliResult goodRun = produceFeedback(Files.writeString(dir.resolve("good.csv"), good));
            assertThat(goodRun.code).as(goodRun.err).isEqualTo(0);
            assertThat(goodRun.out).contains("Published 100 labels from good.csv to tributary.feedback");

            Map<String, Long> seen =
                    Outputs.settledExamplesSeen(registry, Map.of(MODEL, EVENTS), Duration.ofSeconds(60));
            assertThat(seen.get(MODEL)).as("every label learned once").isEqualTo(EVENTS);
            assertThat(runner.stats().feedbackJoined.sum()).isEqualTo(EVENTS);
            outputs.readUntil(() -> false, Duration.ZERO, Duration.ofSeconds(2));
            assertThat(outputs.deadLetterKeys())
                    .as("no feedback refused by the functions: nothing stray was sent")
                    .isEmpty();
            assertThat(runner.stats().feedbackDeadLetters.sum()).isZero();
        }
    }

    record CliResult(int code, String out, String err) {}

    static CliResult produceFeedback(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tributary.execute(
                new String[] {"produce", "--feedback", file.toString(), "--bootstrap-servers", kafka.bootstrapServers()
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }
}
