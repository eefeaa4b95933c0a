package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.cli.Tributary;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.runtime.InstanceServer;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Topics;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.AvroCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metering against a real broker: valid and invalid events for two models go through one
 * functions instance, which is then stopped (writing its open usage as it stops) and replaced by
 * another. The committed usage records count every event
 * once: invocations = valid + invalid, errors = invalid, per model; and {@code tributary usage}
 * prints those totals. The second instance's {@code /metrics} has every metric the operations
 * guide lists (the scrape is kept in target/metrics-scrape.txt).
 */
class UsageIT {
    static final Topics TOPICS = Topics.defaults();
    /** Valid events per model, and invalid ones (dead-lettered). */
    static final Map<String, Integer> VALID = Map.of("prices", 60, "spam", 40);

    static final Map<String, Integer> INVALID = Map.of("prices", 7, "spam", 5);

    static TestBroker kafka;
    static Map<String, Object> client;
    static FunctionsRunner functions;
    static final Map<String, long[]> usage = new HashMap<>(); // model → {invocations, errors}
    static int usageRecords;
    static long invocationsWhenTheFirstStopped;

    @BeforeAll
    static void meterTwoInstancesOneAfterTheOther(@TempDir Path stateA, @TempDir Path stateB) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        FunctionsRunner first = start(stateA);
        try (ModelRegistry registry = new ModelRegistry(client, TOPICS.models())) {
            registry.createModel(ModelVersions.defaultSpec("prices", Algorithm.LINEAR_REGRESSION, List.of("x1", "x2"))
                    .setPublishEvery(10)
                    .build());
            registry.createModel(ModelVersions.defaultSpec("spam", Algorithm.LOGISTIC_REGRESSION, List.of("x1", "x2"))
                    .setPublishEvery(10)
                    .build());
        }
        assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
                KafkaConsumer<byte[], byte[]> consumer = usageReader()) {
            send(producer, 0);
            try (Outputs outputs = new Outputs(client, TOPICS, "usage-it-half")) {
                outputs.readUntil(half(VALID), half(INVALID), Duration.ofSeconds(60), Duration.ZERO);
            }
            first.close(); // writes its open usage before it stops
            readUntil(consumer, half(VALID) + half(INVALID), Duration.ofSeconds(10));
            invocationsWhenTheFirstStopped = invocations();
            functions = start(stateB);
            assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
            send(producer, 1);
            readUntil(consumer, total(VALID) + total(INVALID), Duration.ofSeconds(60));
        }
    }

    /** Reads usage records until they count {@code expected} invocations (or the timeout), then for two intervals more. */
    static void readUntil(KafkaConsumer<byte[], byte[]> consumer, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (invocations() < expected && System.nanoTime() < deadline) {
            read(consumer, Duration.ofMillis(500));
        }
        long quietEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(4); // anything counted twice would come by then
        while (System.nanoTime() < quietEnd) {
            read(consumer, Duration.ofMillis(200));
        }
    }

    static FunctionsRunner start(Path stateDir) {
        FunctionsTopology.Settings settings = FunctionsTopology.Settings.defaults(
                        stateDir.getFileName().toString())
                .withMetering(FunctionsTopology.Metering.DEFAULT.withInterval(Duration.ofSeconds(2)));
        // A short session: the second instance need not wait 45 s for the first one's to expire.
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers(), "session.timeout.ms", 6000);
        return FunctionsRunner.start(
                new FunctionsRunner.Config(props, "usage-it", stateDir, TOPICS, 4, "exactly_once_v2", 1, settings));
    }

    /** Sends half {@code part} (0 or 1) of each model's valid and invalid events. */
    static void send(KafkaProducer<byte[], byte[]> producer, int part) throws Exception {
        for (String model : VALID.keySet()) {
            for (int i = part == 0 ? 0 : half(VALID.get(model));
                    i < (part == 0 ? half(VALID.get(model)) : VALID.get(model));
                    i++) {
                String label = model.equals("spam") ? String.valueOf(i % 2) : String.valueOf(i);
                event(producer, model + "-" + i, model, "{\"x1\":" + i + ",\"x2\":1}", label);
            }
            for (int i = part == 0 ? 0 : half(INVALID.get(model));
                    i < (part == 0 ? half(INVALID.get(model)) : INVALID.get(model));
                    i++) {
                event(producer, model + "-bad-" + i, model, "{\"x1\":" + i + "}", "1"); // x2 is missing
            }
        }
        producer.flush();
    }

    static void event(KafkaProducer<byte[], byte[]> producer, String id, String model, String features, String label)
            throws Exception {
        String json = "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":" + features + ",\"label\":"
                + label + "}";
        producer.send(new ProducerRecord<>(
                        TOPICS.events(), id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    static int half(int n) {
        return n / 2;
    }

    static int half(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(UsageIT::half).sum();
    }

    static long total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    static long invocations() {
        return usage.values().stream().mapToLong(u -> u[0]).sum();
    }

    static KafkaConsumer<byte[], byte[]> usageReader() {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("group.id", "usage-it-reader");
        props.put("auto.offset.reset", "earliest");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPICS.usage()));
        return consumer;
    }

    static void read(KafkaConsumer<byte[], byte[]> consumer, Duration wait) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            UsageRecord u = AvroCodec.of(UsageRecord.class).decode(r.value());
            long[] sums = usage.computeIfAbsent(u.getModel(), m -> new long[2]);
            sums[0] += u.getInvocations();
            sums[1] += u.getErrors();
            usageRecords++;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(functions, kafka);
    }

    @Test
    void usageRecordsCountEveryEventOnceAcrossTheTwoInstances() {
        assertThat(usage).containsOnlyKeys(VALID.keySet());
        for (String model : VALID.keySet()) {
            assertThat(usage.get(model)[0])
                    .as("invocations of %s", model)
                    .isEqualTo(VALID.get(model) + INVALID.get(model));
            assertThat(usage.get(model)[1]).as("errors of %s", model).isEqualTo((long) INVALID.get(model));
        }
        assertThat(usageRecords).as("both instances wrote usage").isGreaterThanOrEqualTo(2 * VALID.size());
    }

    @Test
    void aStoppedInstanceHasWrittenTheUsageOfEverythingItProcessed() {
        assertThat(invocationsWhenTheFirstStopped).isEqualTo(half(VALID) + half(INVALID));
    }

    @Test
    void tributaryUsagePrintsTheTotals() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tributary.execute(
                new String[] {
                    "usage", "--bootstrap-servers", kafka.bootstrapServers(), "--format", "json", "--since", "1h"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonNode bill = new ObjectMapper().readTree(out.toString());
        assertThat(bill.get("total").get("invocations").asLong()).isEqualTo(total(VALID) + total(INVALID));
        assertThat(bill.get("total").get("errors").asLong()).isEqualTo(total(INVALID));
        List<String> models = new ArrayList<>();
        bill.get("rows").forEach(row -> {
            assertThat(row.get("function").asText()).isEqualTo("functions");
            models.add(row.get("model").asText());
            assertThat(row.get("invocations").asLong())
                    .isEqualTo(VALID.get(row.get("model").asText())
                            + INVALID.get(row.get("model").asText()));
            assertThat(row.get("gbSeconds").asDouble()).isPositive();
            assertThat(row.get("cost").asDouble()).isPositive();
        });
        assertThat(models).containsExactly("prices", "spam");

        StringWriter table = new StringWriter();
        assertThat(Tributary.execute(
                        new String[] {"usage", "--bootstrap-servers", kafka.bootstrapServers()},
                        new PrintWriter(table, true),
                        new PrintWriter(err, true)))
                .isZero();
        assertThat(table.toString())
                .contains("FUNCTION", "INVOCATIONS", "TOTAL", "AWS Lambda")
                .containsPattern("functions\\s+prices\\s+" + (VALID.get("prices") + INVALID.get("prices")) + "\\s+"
                        + INVALID.get("prices"));
    }

    @Test
    void metricsHaveEveryNameTheOperationsGuideLists() throws Exception {
        try (InstanceServer server = InstanceServer.start(functions, "127.0.0.1", 0)) {
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            java.nio.file.Files.writeString(Path.of("target", "metrics-scrape.txt"), body); // for the operations guide
            for (String name : List.of(
                    "tributary_invocations_total",
                    "tributary_errors_total",
                    "tributary_dead_letters_total",
                    "tributary_score_duration_seconds_bucket",
                    "tributary_score_time_seconds_total",
                    "tributary_usage_records_total",
                    "tributary_model_version",
                    "tributary_model_version_age_seconds",
                    "tributary_model_metric",
                    "tributary_versions_published_total",
                    "tributary_streams_state",
                    "kafka_consumer_fetch_manager_records_lag",
                    "kafka_consumer_fetch_manager_records_lag_max",
                    "kafka_stream_thread_process_rate")) {
                assertThat(body).as("a sample of %s", name).containsPattern("(?m)^" + name + "\\{[^}]*} \\S+$");
            }
            assertThat(body)
                    .containsPattern("(?m)^tributary_score_duration_seconds_bucket\\{[^}]*function=\"functions\"");
            assertThat(body).containsPattern("(?m)^tributary_model_metric\\{[^}]*model=\"prices\"");
        }
    }
}
