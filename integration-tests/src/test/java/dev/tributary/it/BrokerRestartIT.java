package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is stopped and restarted (same port, same data dir) while events stream in; the
 * functions, left alone, recover by themselves, and the counts still hold: every valid event gets
 * exactly one prediction, every invalid one exactly one dead letter, and each model's latest
 * version has learned each of its labelled events exactly once. Always runs on the embedded KRaft
 * broker (it is the broker this test can stop and restart).
 */
class BrokerRestartIT {
    static final int PER_MODEL = 10_000;
    static final int INVALID = 20;
    static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4", "x5");
    static final Map<String, Algorithm> MODELS = new LinkedHashMap<>(
            Map.of("restart-logistic", Algorithm.LOGISTIC_REGRESSION, "restart-linear", Algorithm.LINEAR_REGRESSION));

    static EmbeddedKafka kafka;
    static FunctionsRunner functions;
    static ModelRegistry registry;
    static Map<String, Object> client;
    static Outputs outputs;
    /** Event id → model, of every valid event. */
    static final Map<String, String> validEvents = new HashMap<>();

    static final Map<String, Integer> labelled = new HashMap<>();
    static final Set<String> invalidKeys = new HashSet<>();
    static final Map<String, Long> examplesSeen = new HashMap<>();

    @BeforeAll
    static void streamThroughARestart(@TempDir Path dataDir, @TempDir Path stateDir) throws Exception {
        // Port 0: a free one, kept across restart(); the data dir is ours, kept across restart() too.
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Config(0, dataDir, Map.of()));
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());

        // Client settings that ride out a broker outage of a few seconds: the streams clients keep
        // retrying instead of failing their tasks (task.timeout.ms), and reconnect quickly.
        Map<String, Object> functionsClient = new HashMap<>(client);
        functionsClient.put("task.timeout.ms", 120_000);
        functionsClient.put("reconnect.backoff.max.ms", 1000);
        functionsClient.put("retry.backoff.max.ms", 1000);
        FunctionsRunner.Config local =
                FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir).withApplicationId("broker-restart-it");
        functions = FunctionsRunner.start(new FunctionsRunner.Config(
                functionsClient,
                local.applicationId(),
                local.stateDir(),
                local.topics(),
                local.partitions(),
                local.processingGuarantee(),
                local.threads(),
                local.settings()));
        Map<String, Object> registryClient = new HashMap<>(client);
        registryClient.put("reconnect.backoff.max.ms", 1000);
        registry = new ModelRegistry(registryClient, Topics.defaults().models());
        Map<String, SyntheticStream> streams = new LinkedHashMap<>();
        for (Map.Entry<String, Algorithm> m : MODELS.entrySet()) {
            streams.put(
                    m.getKey(),
                    new SyntheticStream(
                            m.getKey(),
                            m.getValue(),
                            FEATURES.size(),
                            11 + m.getValue().ordinal(),
                            Long.MAX_VALUE));
            registry.createModel(ModelVersions.defaultSpec(m.getKey(), m.getValue(), FEATURES)
                    .setPublishEvery(1000)
                    .setPublishIntervalMs(300)
                    .build());
        }
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();

        // The producer: idempotent, and patient enough to wait out the outage (every future is checked).
        Map<String, Object> props = new HashMap<>(client);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 5);
        props.put("delivery.timeout.ms", 180_000);
        props.put("request.timeout.ms", 10_000);
        props.put("max.block.ms", 180_000);
        props.put("reconnect.backoff.max.ms", 1000);
        props.put("retry.backoff.max.ms", 1000);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        CountDownLatch halfway = new CountDownLatch(1);
        AtomicInteger progress = new AtomicInteger();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        String topic = Topics.defaults().events();
        Thread producer = new Thread(
                () -> {
                    try (KafkaProducer<byte[], byte[]> out =
                            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                        Random random = new Random(4);
                        int invalidEvery = PER_MODEL / INVALID;
                        for (int i = 0; i < PER_MODEL; i++) {
                            for (Map.Entry<String, SyntheticStream> s : streams.entrySet()) {
                                Event e = s.getValue().next();
                                e.setId(s.getKey() + "-" + i);
                                sends.add(out.send(new ProducerRecord<>(topic, utf8(e.getId()), avro.encode(e))));
                                validEvents.put(e.getId(), s.getKey());
                                labelled.merge(s.getKey(), 1, Integer::sum);
                            }
                            if (i % invalidEvery == invalidEvery / 2) {
                                String key = "invalid-" + invalidKeys.size();
                                invalidKeys.add(key);
                                sends.add(out.send(new ProducerRecord<>(
                                        topic, utf8(key), invalid(key, invalidKeys.size(), random))));
                            }
                            if (i == PER_MODEL / 2) {
                                halfway.countDown();
                            }
                            progress.set(i);
                            if (i % 5 == 0) {
                                Thread.sleep(
                                        4); // a stream of ~8 s, not a single burst: the outage falls in the middle of
                                // it
                            }
                        }
                        out.flush();
                    } catch (Throwable t) {
                        producerFailure.set(t);
                        halfway.countDown();
                    }
                },
                "broker-restart-producer");
        producer.start();

        assertThat(halfway.await(120, TimeUnit.SECONDS))
                .as("producer reached halfway")
                .isTrue();
        long t0 = System.nanoTime();
        kafka.stop();
        int atStop = progress.get();
        Thread.sleep(3000);
        int atRestart = progress.get();
        kafka.restart();
        System.out.printf(
                "BrokerRestartIT: broker stopped and restarted in %d ms (port %d); the producer was at event %d "
                        + "of %d per model when it stopped, %d when it came back, %d at the end of restart()%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                kafka.port(),
                atStop,
                PER_MODEL,
                atRestart,
                progress.get());
        assertThat(atStop).as("the outage falls in the middle of the stream").isLessThan(PER_MODEL - 1);

        producer.join(TimeUnit.MINUTES.toMillis(4));
        assertThat(producer.isAlive()).as("producer finished").isFalse();
        assertThat(producerFailure.get()).as("producer failure").isNull();
        for (Future<RecordMetadata> f : sends) {
            f.get(1, TimeUnit.SECONDS); // throws if any record was not delivered
        }

        outputs = new Outputs(client, Topics.defaults(), "broker-restart-it-reader")
                .readUntil(validEvents.size(), INVALID, Duration.ofSeconds(120), Duration.ofSeconds(3));

        examplesSeen.putAll(Outputs.settledExamplesSeen(registry, labelled, Duration.ofSeconds(60)));

        long duplicates = outputs.duplicates();
        long lost = outputs.lost(validEvents.keySet());
        System.out.printf(
                "BrokerRestartIT: events %d (valid %d, invalid %d), predictions %d, dead letters %d, "
                        + "duplicates %d, lost %d, labelled %s, examplesSeen %s%n",
                validEvents.size() + invalidKeys.size(),
                validEvents.size(),
                invalidKeys.size(),
                outputs.predictions.size(),
                outputs.deadLetters.size(),
                duplicates,
                lost,
                labelled,
                examplesSeen);
    }

    /** An invalid record, for one of four reasons. */
    static byte[] invalid(String key, int n, Random random) {
        return invalid(key, n, random, "restart-linear", "restart-logistic");
    }

    /** An invalid record, for one of four reasons: {@code linear} and {@code logistic} name existing models. */
    static byte[] invalid(String key, int n, Random random, String linear, String logistic) {
        return switch (n % 4) {
            case 0 -> {
                byte[] bytes = new byte[1 + random.nextInt(64)];
                random.nextBytes(bytes);
                bytes[0] = 0x7F; // neither '{' nor the Avro magic byte
                yield bytes;
            }
            case 1 -> utf8("{\"id\":\"" + key + "\",\"model\":\"no-such-model\",\"features\":{\"x1\":1}}");
            case 2 -> utf8("{\"id\":\"" + key + "\",\"model\":\"" + linear + "\",\"features\":{\"x1\":1}}");
            default ->
                utf8("{\"id\":\"" + key + "\",\"model\":\"" + logistic + "\",\"features\":"
                        + "{\"x1\":1,\"x2\":1,\"x3\":1,\"x4\":1,\"x5\":1},\"label\":2}");
        };
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(outputs, registry, functions, kafka);
    }

    @Test
    void everyValidEventGetsExactlyOnePrediction() {
        Map<String, Integer> perEvent = outputs.predictionsPerEvent();
        assertThat(perEvent.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("events predicted more than once")
                .isEmpty();
        assertThat(perEvent.keySet())
                .as("events with a prediction")
                .containsExactlyInAnyOrderElementsOf(validEvents.keySet());
        assertThat(outputs.predictions).hasSize(validEvents.size());
        outputs.predictions.forEach(p -> assertThat(p.getModel()).isEqualTo(validEvents.get(p.getEventId())));
    }

    @Test
    void everyInvalidRecordIsExactlyOneDeadLetter() {
        assertThat(outputs.deadLetterKeys())
                .as("dead-letter keys")
                .hasSize(INVALID)
                .containsExactlyInAnyOrderElementsOf(invalidKeys);
    }

    @Test
    void eachModelLearnedEachLabelledEventExactlyOnce() {
        for (String model : MODELS.keySet()) {
            assertThat(examplesSeen.get(model))
                    .as("examplesSeen of %s's latest version", model)
                    .isEqualTo((long) labelled.get(model));
        }
    }
}
