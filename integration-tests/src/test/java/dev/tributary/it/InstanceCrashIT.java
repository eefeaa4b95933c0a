package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.it.CliProcesses.Background;
import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three {@code tributary run} processes of one application share an 8-partition events topic;
 * while 50,000 events for three models stream in, one of them is killed with SIGKILL (no shutdown
 * hook, an open transaction left behind) and later started again on the same state directory.
 * Counted with a {@code read_committed} consumer: every valid event has exactly one prediction,
 * every invalid one exactly one dead letter, and each model's latest version learned each of its
 * labelled events exactly once. The broker is the embedded one, in this JVM; the instances' output
 * is under {@code target/instance-crash/logs}.
 */
class InstanceCrashIT {
    static final Path WORK = Path.of("target", "instance-crash").toAbsolutePath();
    static final String APPLICATION_ID = "instance-crash-it";
    static final int INSTANCES = 3;
    static final int PARTITIONS = 8;
    static final int PER_MODEL = 16_500;
    static final int UNLABELLED_EVERY = 33; // 500 unlabelled events: 50,000 valid in all
    static final int INVALID = 30;
    static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4");

    static CliProcesses processes;
    static EmbeddedKafka kafka;
    static ModelRegistry registry;
    static Map<String, Object> client;
    static Outputs outputs;
    static final List<Background> instances = new ArrayList<>();
    static final Map<String, String> validEvents = new HashMap<>();
    static final Map<String, Integer> labelled = new HashMap<>();
    static final Set<String> invalidKeys = new HashSet<>();
    static final Map<String, Long> examplesSeen = new HashMap<>();
    static long duplicates;
    static long lost;

    @BeforeAll
    static void streamThroughACrash() throws Exception {
        processes = new CliProcesses(WORK);
        kafka = EmbeddedKafka.start();
        String bootstrap = kafka.bootstrapServers();
        client = Map.of("bootstrap.servers", bootstrap);
        Topics topics = Topics.defaults();
        try (Admin admin = Admin.create(client)) {
            Topics.create(admin, List.of(new NewTopic(topics.events(), PARTITIONS, (short) -1)));
        }
        // A killed member is noticed after its session timeout: the broker's minimum, 6 s, rather than 45 s.
        Path kafkaConfig = Files.writeString(
                WORK.resolve("client.properties"),
                "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n",
                StandardCharsets.UTF_8);

        registry = new ModelRegistry(client, topics.models());
        Map<String, SyntheticStream> streams = new LinkedHashMap<>();
        for (Algorithm algorithm : Algorithm.values()) {
            String name = "crash-" + algorithm.name().toLowerCase().replace('_', '-');
            streams.put(
                    name,
                    new SyntheticStream(name, algorithm, FEATURES.size(), 21 + algorithm.ordinal(), Long.MAX_VALUE));
            registry.createModel(ModelVersions.defaultSpec(name, algorithm, FEATURES)
                    .setPublishEvery(2000)
                    .setPublishIntervalMs(500)
                    .build());
        }

        for (int i = 1; i <= INSTANCES; i++) {
            instances.add(startInstance("run-" + i, i, bootstrap, kafkaConfig));
        }
        for (Background instance : instances) {
            instance.awaitOutput("Tributary functions running", Duration.ofSeconds(90));
        }
        CliProcesses.awaitMembersWithPartitions(
                bootstrap, APPLICATION_ID, topics.events(), INSTANCES, instances, Duration.ofSeconds(60));

        Map<String, Object> props = new HashMap<>(client);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 5);
        props.put("delivery.timeout.ms", 120_000);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        AtomicInteger progress = new AtomicInteger();
        CountDownLatch atKill = new CountDownLatch(1);
        CountDownLatch atRestart = new CountDownLatch(1);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        Thread producer = new Thread(
                () -> {
                    try (KafkaProducer<byte[], byte[]> out =
                            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                        Random random = new Random(9);
                        int invalidEvery = PER_MODEL / INVALID;
                        for (int i = 0; i < PER_MODEL; i++) {
                            for (Map.Entry<String, SyntheticStream> s : streams.entrySet()) {
                                Event e = s.getValue().next();
                                e.setId(s.getKey() + "-" + i);
                                sends.add(out.send(
                                        new ProducerRecord<>(topics.events(), utf8(e.getId()), avro.encode(e))));
                                validEvents.put(e.getId(), s.getKey());
                                labelled.merge(s.getKey(), 1, Integer::sum);
                            }
                            if (i % UNLABELLED_EVERY == 0) {
                                String model =
                                        new ArrayList<>(streams.keySet()).get((i / UNLABELLED_EVERY) % streams.size());
                                Event e = streams.get(model).next();
                                e.setId("unlabelled-" + model + "-" + i);
                                e.setLabel(null);
                                sends.add(out.send(
                                        new ProducerRecord<>(topics.events(), utf8(e.getId()), avro.encode(e))));
                                validEvents.put(e.getId(), model);
                            }
                            if (i % invalidEvery == invalidEvery / 2 && invalidKeys.size() < INVALID) {
                                String key = "invalid-" + invalidKeys.size();
                                invalidKeys.add(key);
                                sends.add(out.send(new ProducerRecord<>(
                                        topics.events(),
                                        utf8(key),
                                        BrokerRestartIT.invalid(
                                                key,
                                                invalidKeys.size(),
                                                random,
                                                "crash-linear-regression",
                                                "crash-logistic-regression"))));
                            }
                            progress.set(i);
                            if (i == PER_MODEL / 4) {
                                atKill.countDown();
                            }
                            if (i == PER_MODEL * 3 / 4) {
                                atRestart.countDown();
                            }
                            if (i % 4 == 0) {
                                Thread.sleep(5); // ~20 s of stream, not one burst
                            }
                        }
                        out.flush();
                    } catch (Throwable t) {
                        producerFailure.set(t);
                        atKill.countDown();
                        atRestart.countDown();
                    }
                },
                "instance-crash-producer");
        producer.start();

        assertThat(atKill.await(120, TimeUnit.SECONDS)).isTrue();
        long killedNanos = System.nanoTime();
        Background victim = instances.get(1);
        victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no leaving the group
        assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        processes.processes.remove(victim.process());
        int killedAt = progress.get();
        // Restarted once the other two have taken its partitions over (its session has timed out) and
        // three quarters of the stream are out.
        assertThat(atRestart.await(120, TimeUnit.SECONDS)).isTrue();
        long sinceKill = System.nanoTime() - killedNanos;
        Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(8) - TimeUnit.NANOSECONDS.toMillis(sinceKill)));
        long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
        int restartedAt = progress.get();
        Background restarted = startInstance("run-2-restarted", 2, bootstrap, kafkaConfig);
        instances.set(1, restarted);
        restarted.awaitOutput("Tributary functions running", Duration.ofSeconds(90));
        System.out.printf(
                "InstanceCrashIT: run-2 killed (SIGKILL, exit %d) at event %d of %d per model, restarted %d ms "
                        + "later at event %d%n",
                victim.process().exitValue(), killedAt, PER_MODEL, downMillis, restartedAt);

        producer.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(producer.isAlive()).as("producer finished").isFalse();
        assertThat(producerFailure.get()).as("producer failure").isNull();
        for (Future<RecordMetadata> f : sends) {
            f.get(1, TimeUnit.SECONDS);
        }

        outputs = new Outputs(client, topics, "instance-crash-it-reader")
                .readUntil(validEvents.size(), INVALID, Duration.ofSeconds(120), Duration.ofSeconds(3));

        examplesSeen.putAll(Outputs.settledExamplesSeen(registry, labelled, Duration.ofSeconds(60)));

        duplicates = outputs.duplicates();
        lost = outputs.lost(validEvents.keySet());
        System.out.printf(
                "InstanceCrashIT: events %d (valid %d, invalid %d), predictions %d, dead letters %d, "
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
        for (Background instance : instances) {
            instance.requireAlive();
        }
    }

    static Background startInstance(String name, int n, String bootstrap, Path kafkaConfig) throws Exception {
        return processes.background(
                name,
                "run",
                "--bootstrap-servers",
                bootstrap,
                "--application-id",
                APPLICATION_ID,
                "--state-dir",
                WORK.resolve("state-" + n).toString(),
                "--partitions",
                String.valueOf(PARTITIONS),
                "--http-port",
                "0",
                "--kafka-config",
                kafkaConfig.toString());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        CliProcesses.tearDown(processes, Duration.ofSeconds(15), kafka, outputs, registry);
    }

    @Test
    void everyValidEventGetsExactlyOnePrediction() {
        assertThat(duplicates).as("duplicate predictions").isZero();
        assertThat(lost).as("valid events without a prediction").isZero();
        assertThat(outputs.predictionsPerEvent().keySet()).containsExactlyInAnyOrderElementsOf(validEvents.keySet());
        assertThat(outputs.predictions).hasSize(validEvents.size());
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
        assertThat(examplesSeen).hasSize(Algorithm.values().length);
        examplesSeen.forEach((model, seen) -> assertThat(seen)
                .as("examplesSeen of %s's latest version", model)
                .isEqualTo((long) labelled.get(model)));
    }
}
