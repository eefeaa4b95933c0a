package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.DeadLetters;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events in, models learn, predictions out, on a real broker: three models (one per algorithm)
 * learn from 20,000 labelled events each drawn from a known linear truth, 1,000 unlabelled
 * events are scored, and 50 broken records go to the dead-letter topic. Runs against Testcontainers'
 * Kafka where Docker is available, else the embedded KRaft broker.
 */
class FoundationIT {
    static final int LABELLED = 20_000;
    static final int UNLABELLED = 1_000;
    static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4", "x5");

    static TestBroker kafka;
    static FunctionsRunner functions;
    static ModelRegistry registry;
    static Map<String, Object> client;
    static final Map<String, SyntheticStream> streams = new HashMap<>();
    static final Map<String, List<String>> labelledIds = new HashMap<>();
    static final List<Prediction> predictions = new ArrayList<>();
    static final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    static final Set<String> brokenKeys = new HashSet<>();
    static final Map<String, Long> halfwayVersion = new HashMap<>();
    static int validEvents;

    @BeforeAll
    static void streamEverything(@TempDir Path stateDir) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        functions = FunctionsRunner.start(FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir));
        registry = new ModelRegistry(client, Topics.defaults().models());

        for (Algorithm algorithm : Algorithm.values()) {
            String name = algorithm.name().toLowerCase().replace('_', '-');
            streams.put(
                    name,
                    new SyntheticStream(name, algorithm, FEATURES.size(), 7 + algorithm.ordinal(), Long.MAX_VALUE));
            registry.createModel(ModelVersions.defaultSpec(name, algorithm, FEATURES)
                    .setPublishEvery(1000)
                    .setPublishIntervalMs(2000)
                    .build());
            labelledIds.put(name, new ArrayList<>());
        }
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();

        try (EventPublisher out = new EventPublisher(client, Topics.defaults().events(), 0)) {
            Random random = new Random(1);
            for (int i = 0; i < LABELLED; i++) {
                for (Map.Entry<String, SyntheticStream> s : streams.entrySet()) {
                    Event e = s.getValue().next();
                    out.send(e);
                    labelledIds.get(s.getKey()).add(e.getId());
                }
                if (i % 20 == 0) {
                    Event e = streams.get("linear-regression").next();
                    e.setId("unlabelled-" + i);
                    e.setLabel(null);
                    out.send(e);
                }
                if (i % 400 == 0) {
                    sendBroken(out, random, i / 400);
                }
                if (i == LABELLED / 2 - 1) {
                    out.flush();
                    awaitTrained(LABELLED / 2, Duration.ofMinutes(3));
                }
            }
            out.flush();
        }
        validEvents = LABELLED * streams.size() + UNLABELLED;
        collect(Duration.ofMinutes(4));
    }

    /**
     * Waits until every model has published a version that learned {@code examples}: the second half
     * of the stream is then scored by versions that exist only because of the first half.
     */
    static void awaitTrained(long examples, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String model : streams.keySet()) {
            while (registry.latest(model).map(ModelVersion::getExamplesSeen).orElse(0L) < examples) {
                assertThat(System.nanoTime())
                        .as("model %s to learn %d examples", model, examples)
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            long version = registry.latest(model).orElseThrow().getVersion();
            halfwayVersion.put(model, version);
            // ... and until the scoring instance serves it (its registry view follows within milliseconds).
            while (functions.servedVersions().of(model).map(v -> v.version()).orElse(-1L) < version) {
                assertThat(System.nanoTime())
                        .as("instance to serve %s version %d", model, version)
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** 50 records that cannot be used, each for a different reason. */
    static void sendBroken(EventPublisher out, Random random, int n) {
        String key = "broken-" + n;
        brokenKeys.add(key);
        byte[] value = switch (n % 5) {
            case 0 -> randomBytes(random);
            case 1 -> json("{\"id\":\"" + key + "\",\"model\":\"no-such-model\",\"features\":{\"x1\":1}}");
            case 2 -> json("{\"id\":\"" + key + "\",\"model\":\"linear-regression\",\"features\":{\"x1\":1}}");
            case 3 ->
                json("{\"id\":\"" + key + "\",\"model\":\"logistic-regression\",\"features\":"
                        + "{\"x1\":1,\"x2\":1,\"x3\":1,\"x4\":1,\"x5\":1},\"label\":2}");
            default -> json("{\"id\":\"" + key + "\",\"model\":\"linear-svm\",\"features\":{\"x1\":NaN}}");
        };
        out.sendRaw(key.getBytes(StandardCharsets.UTF_8), value);
    }

    static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        bytes[0] = 0x7F; // neither '{' nor the Avro magic byte
        return bytes;
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void collect(Duration timeout) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("group.id", "foundation-it");
        props.put("auto.offset.reset", "earliest");
        AvroCodec<Prediction> codec = TributarySerdes.prediction().codec();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(
                    List.of(Topics.defaults().predictions(), Topics.defaults().deadLetters()));
            while (System.nanoTime() < deadline && (predictions.size() < validEvents || deadLetters.size() < 50)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(Topics.defaults().predictions())) {
                        predictions.add(codec.decode(r.value()));
                    } else {
                        deadLetters.add(r);
                    }
                }
            }
            // Anything beyond the expected counts (duplicates) would arrive in this extra second.
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                if (r.topic().equals(Topics.defaults().predictions())) {
                    predictions.add(codec.decode(r.value()));
                } else {
                    deadLetters.add(r);
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(registry, functions, kafka);
    }

    @Test
    void everyValidEventGetsExactlyOnePrediction() {
        Set<String> ids = new HashSet<>();
        for (Prediction p : predictions) {
            assertThat(ids.add(p.getEventId()))
                    .as("duplicate prediction for %s", p.getEventId())
                    .isTrue();
        }
        assertThat(predictions).hasSize(validEvents);
        labelledIds.values().forEach(list -> assertThat(ids).containsAll(list));
    }

    @Test
    void everyBrokenRecordIsOneDeadLetterWithItsReason() {
        assertThat(deadLetters).hasSize(50);
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            keys.add(new String(r.key(), StandardCharsets.UTF_8));
            assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE))
                    .isNotBlank();
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))
                    .isEqualTo(Topics.defaults().events());
        }
        assertThat(keys).isEqualTo(brokenKeys);
        Map<String, String> reasons = new HashMap<>();
        deadLetters.forEach(r -> reasons.put(
                DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS),
                DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE)));
        assertThat(reasons).containsOnlyKeys("UNDECODABLE", "UNKNOWN_MODEL", "BAD_FEATURES", "BAD_LABEL");
        assertThat(reasons.get("UNKNOWN_MODEL")).contains("no-such-model");
        assertThat(reasons.get("BAD_LABEL")).contains("label 2.0 is not 0 or 1");
    }

    @Test
    void modelsPublishSeveralVersionsAndPredictionsUseThem() {
        for (String model : streams.keySet()) {
            NavigableMap<Long, ModelVersion> versions = registry.versions(model);
            assertThat(versions.size()).as("versions of %s", model).isGreaterThanOrEqualTo(10);
            assertThat(versions.lastEntry().getValue().getExamplesSeen()).isEqualTo(LABELLED);

            List<Prediction> ofModel = predictions.stream()
                    .filter(p -> p.getModel().equals(model))
                    .filter(p -> !p.getEventId().startsWith("unlabelled"))
                    .toList();
            ofModel.forEach(p -> assertThat(versions).containsKey(p.getModelVersion()));

            // In event order, the versions used must rise: a scorer stuck on an old model fails here.
            Map<String, Long> versionOf = new HashMap<>();
            ofModel.forEach(p -> versionOf.put(p.getEventId(), p.getModelVersion()));
            List<String> order = labelledIds.get(model);
            double early = order.subList(0, 2000).stream()
                    .mapToLong(versionOf::get)
                    .average()
                    .orElseThrow();
            double late = order.subList(LABELLED - 2000, LABELLED).stream()
                    .mapToLong(versionOf::get)
                    .average()
                    .orElseThrow();
            assertThat(late).as("mean version used late vs early for %s", model).isGreaterThan(early);
            // Every event of the second half was published after the first half's version existed.
            for (String id : order.subList(LABELLED / 2, LABELLED)) {
                assertThat(versionOf.get(id))
                        .as("version used for %s of %s", id, model)
                        .isGreaterThanOrEqualTo(halfwayVersion.get(model));
            }
        }
    }

    @Test
    void progressiveMetricsApproachTheTruth() {
        for (Map.Entry<String, SyntheticStream> s : streams.entrySet()) {
            ModelVersion latest = registry.latest(s.getKey()).orElseThrow();
            double best = s.getValue().bestAchievable(LABELLED);
            String metric = s.getValue().algorithm() == Algorithm.LINEAR_REGRESSION ? "r2" : "accuracy";
            List<String> history = registry.versions(s.getKey()).values().stream()
                    .map(v -> v.getVersion() + ":" + v.getExamplesSeen() + ":"
                            + v.getMetrics().get(metric))
                    .toList();
            assertThat(latest.getMetrics().get(metric))
                    .as("%s of %s (truth %.3f) over versions %s", metric, s.getKey(), best, history)
                    .isGreaterThan(best - 0.04);
        }
    }
}
