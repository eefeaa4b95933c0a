package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.functions.DeadLetters;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.it.CliProcesses.Background;
import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two {@code tributary run} processes of one application score events that carry no label. The
 * labels of two models come later on {@code tributary.feedback}, keyed by the event id, most once and
 * some twice, with labels for ids never published among them; those of two other models never come
 * (a short wait: one model trains with its default label, the other drops them). Mid-stream one
 * instance is killed with SIGKILL (an open transaction and its pending labels left behind) and later
 * started again on the same state directory. Counted with a {@code read_committed} consumer and the
 * registry: every event has exactly one prediction, every matched label and every default trained
 * exactly once ({@code examplesSeen} = matched + defaulted, and the delayed metric counted as many),
 * every second label is a {@code DUPLICATE_FEEDBACK} dead letter and every label for an unknown id an
 * {@code UNMATCHED_FEEDBACK} one. The instances' output is under {@code target/delayed-feedback/logs}.
 */
class DelayedFeedbackIT {
    static final Path WORK = Path.of("target", "delayed-feedback").toAbsolutePath();
    static final String APPLICATION_ID = "delayed-feedback-it";
    static final int PARTITIONS = 4;
    static final int PER_MODEL = 1500;
    /**
     * The wait of the models whose labels come: longer than an instance can be down on a loaded
     * machine, so that every label joins even across the crash; nothing waits for it to end.
     */
    static final long LABEL_WAIT_MS = 60_000;
    /** The wait of the models whose labels never come: short, so that the test sees them end. */
    static final long SHORT_WAIT_MS = 3_000;
    /** How long after its event a label is sent (its duplicate one second later). */
    static final long LABEL_DELAY_MS = 2_000;

    static final int TWICE_EVERY = 10; // i % 10 == 1: the label twice
    static final int SILENT_EVERY = 3; // i % 3 == 0: an event of each model whose label never comes
    static final int UNKNOWN = 40;
    static final String CTR = "fb-ctr"; // labels come, once or twice
    static final String ETA = "fb-eta"; // labels come, once or twice
    static final String SILENT = "fb-silent"; // labels never come; a default label: each wait trains with 0
    static final String DROPPED = "fb-dropped"; // labels never come; no default label: each wait is dropped
    static final List<String> FEATURES = List.of("x1", "x2", "x3");

    static CliProcesses processes;
    static EmbeddedKafka kafka;
    static ModelRegistry registry;
    static Map<String, Object> client;
    static Outputs outputs;
    static final List<Background> instances = new ArrayList<>();
    static final List<String> events = new ArrayList<>();
    static final Map<String, Integer> expectedExamples = new HashMap<>();
    static final List<String> duplicateIds = new ArrayList<>();
    static final List<String> unknownIds = new ArrayList<>();
    static final Map<String, ModelVersion> latest = new HashMap<>();

    /** A record due at a time: labels go out after their events. */
    record Due(long at, ProducerRecord<byte[], byte[]> record) {}

    @BeforeAll
    static void streamLabelsThroughACrash() throws Exception {
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
        streams.put(CTR, new SyntheticStream(CTR, Algorithm.LOGISTIC_REGRESSION, FEATURES.size(), 5, Long.MAX_VALUE));
        streams.put(ETA, new SyntheticStream(ETA, Algorithm.LINEAR_REGRESSION, FEATURES.size(), 6, Long.MAX_VALUE));
        streams.put(
                SILENT, new SyntheticStream(SILENT, Algorithm.LOGISTIC_REGRESSION, FEATURES.size(), 7, Long.MAX_VALUE));
        streams.put(
                DROPPED, new SyntheticStream(DROPPED, Algorithm.LINEAR_REGRESSION, FEATURES.size(), 8, Long.MAX_VALUE));
        registry.createModel(ModelVersions.defaultSpec(CTR, Algorithm.LOGISTIC_REGRESSION, FEATURES)
                .setPublishEvery(500)
                .setPublishIntervalMs(500)
                .setLabelWaitMs(LABEL_WAIT_MS)
                .setDefaultLabel(0.0)
                .build());
        registry.createModel(ModelVersions.defaultSpec(ETA, Algorithm.LINEAR_REGRESSION, FEATURES)
                .setPublishEvery(500)
                .setPublishIntervalMs(500)
                .setLabelWaitMs(LABEL_WAIT_MS)
                .build());
        registry.createModel(ModelVersions.defaultSpec(SILENT, Algorithm.LOGISTIC_REGRESSION, FEATURES)
                .setPublishEvery(500)
                .setPublishIntervalMs(500)
                .setLabelWaitMs(SHORT_WAIT_MS)
                .setDefaultLabel(0.0)
                .build());
        registry.createModel(ModelVersions.defaultSpec(DROPPED, Algorithm.LINEAR_REGRESSION, FEATURES)
                .setPublishEvery(500)
                .setPublishIntervalMs(500)
                .setLabelWaitMs(SHORT_WAIT_MS)
                .build());

        for (int i = 1; i <= 2; i++) {
            instances.add(startInstance("run-" + i, i, bootstrap, kafkaConfig));
        }
        for (Background instance : instances) {
            instance.awaitOutput("Tributary functions running", Duration.ofSeconds(90));
        }
        CliProcesses.awaitMembersWithPartitions(
                bootstrap, APPLICATION_ID, topics.events(), 2, instances, Duration.ofSeconds(60));

        Map<String, Object> props = new HashMap<>(client);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 5);
        props.put("delivery.timeout.ms", 120_000);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        CountDownLatch atKill = new CountDownLatch(1);
        CountDownLatch atRestart = new CountDownLatch(1);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        Thread producer = new Thread(
                () -> {
                    try (KafkaProducer<byte[], byte[]> out =
                            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                        Queue<Due> labels = new ArrayDeque<>();
                        for (int i = 0; i < PER_MODEL; i++) {
                            long now = System.currentTimeMillis();
                            for (Map.Entry<String, SyntheticStream> s : streams.entrySet()) {
                                boolean silent =
                                        s.getKey().equals(SILENT) || s.getKey().equals(DROPPED);
                                if (silent && i % SILENT_EVERY != 0) {
                                    continue;
                                }
                                Event e = s.getValue().next();
                                e.setId(s.getKey() + "-" + i);
                                double label = e.getLabel();
                                e.setLabel(null);
                                sends.add(out.send(
                                        new ProducerRecord<>(topics.events(), utf8(e.getId()), avro.encode(e))));
                                events.add(e.getId());
                                // Labels that come join; of those that never come, the default label trains (none is
                                // dropped).
                                expectedExamples.merge(s.getKey(), s.getKey().equals(DROPPED) ? 0 : 1, Integer::sum);
                                if (silent) {
                                    continue;
                                }
                                labels.add(
                                        new Due(now + LABEL_DELAY_MS, feedback(topics, e.getId(), s.getKey(), label)));
                                if (i % TWICE_EVERY == 1) {
                                    labels.add(new Due(
                                            now + LABEL_DELAY_MS + 1000,
                                            feedback(topics, e.getId(), s.getKey(), label)));
                                    duplicateIds.add(e.getId());
                                }
                            }
                            if (i % (PER_MODEL / UNKNOWN) == 7 && unknownIds.size() < UNKNOWN) {
                                String ghost = "ghost-" + unknownIds.size();
                                unknownIds.add(ghost);
                                // Held for the model's (short) wait in case its event is behind, then a dead letter.
                                sends.add(out.send(feedback(topics, ghost, SILENT, 1.0)));
                            }
                            sendDue(out, labels, now, sends);
                            if (i == PER_MODEL / 4) {
                                atKill.countDown();
                            }
                            if (i == PER_MODEL * 3 / 4) {
                                atRestart.countDown();
                            }
                            Thread.sleep(8); // ~12 s of stream, not one burst
                        }
                        while (!labels.isEmpty()) {
                            Thread.sleep(20);
                            sendDue(out, labels, System.currentTimeMillis(), sends);
                        }
                        out.flush();
                    } catch (Throwable t) {
                        producerFailure.set(t);
                        atKill.countDown();
                        atRestart.countDown();
                    }
                },
                "delayed-feedback-producer");
        producer.start();

        assertThat(atKill.await(120, TimeUnit.SECONDS)).isTrue();
        long killedNanos = System.nanoTime();
        Background victim = instances.get(1);
        victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no leaving the group
        assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        processes.processes.remove(victim.process());
        assertThat(atRestart.await(120, TimeUnit.SECONDS)).isTrue();
        // Restarted once the other has taken its partitions over (its session has timed out).
        long sinceKill = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
        Thread.sleep(Math.max(0, 8_000 - sinceKill));
        Background restarted = startInstance("run-2-restarted", 2, bootstrap, kafkaConfig);
        instances.set(1, restarted);
        restarted.awaitOutput("Tributary functions running", Duration.ofSeconds(90));
        System.out.printf(
                "DelayedFeedbackIT: run-2 killed (SIGKILL, exit %d), restarted %d ms later%n",
                victim.process().exitValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos));

        producer.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(producer.isAlive()).as("producer finished").isFalse();
        assertThat(producerFailure.get()).as("producer failure").isNull();
        for (Future<RecordMetadata> f : sends) {
            f.get(1, TimeUnit.SECONDS);
        }

        outputs = new Outputs(client, topics, "delayed-feedback-it-reader")
                .readUntil(
                        events.size(),
                        duplicateIds.size() + unknownIds.size(),
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(3));
        // The silent model's last waits end SHORT_WAIT_MS after their events were scored; their default labels train
        // then.
        Outputs.settledExamplesSeen(registry, expectedExamples, Duration.ofSeconds(60));
        for (String model : List.of(CTR, ETA, SILENT, DROPPED)) {
            latest.put(model, registry.latest(model).orElseThrow());
        }
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : outputs.deadLetters) {
            String reason = DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE);
            reasons.merge(
                    DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS) + ": "
                            + (reason == null
                                    ? ""
                                    : reason.replaceAll("'[^']*'", "'…'").replaceAll("\\d+ ms", "N ms")),
                    1,
                    Integer::sum);
        }
        System.out.printf(
                "DelayedFeedbackIT: events %d, predictions %d, dead letters %d (duplicates sent %d, unknown %d:"
                        + " %s), expected examples %s, latest versions %s%n",
                events.size(),
                outputs.predictions.size(),
                outputs.deadLetters.size(),
                duplicateIds.size(),
                unknownIds.size(),
                reasons,
                expectedExamples,
                latest.values().stream()
                        .map(v -> v.getModel() + " v" + v.getVersion() + " seen " + v.getExamplesSeen() + " "
                                + v.getMetrics())
                        .toList());
        for (Background instance : instances) {
            instance.requireAlive();
        }
    }

    static ProducerRecord<byte[], byte[]> feedback(Topics topics, String id, String model, double label) {
        return new ProducerRecord<>(
                topics.feedback(),
                utf8(id),
                utf8("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"label\":" + label + "}"));
    }

    static void sendDue(
            KafkaProducer<byte[], byte[]> out, Queue<Due> labels, long now, List<Future<RecordMetadata>> sends) {
        while (!labels.isEmpty() && labels.peek().at() <= now) {
            sends.add(out.send(labels.poll().record()));
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
    void everyEventGetsExactlyOnePrediction() {
        assertThat(outputs.duplicates()).as("duplicate predictions").isZero();
        assertThat(outputs.lost(events)).as("events without a prediction").isZero();
        assertThat(outputs.predictions).hasSize(events.size());
    }

    @Test
    void everyMatchedLabelAndEveryDefaultTrainedExactlyOnce() {
        for (String model : List.of(CTR, ETA, SILENT)) {
            ModelVersion v = latest.get(model);
            assertThat(v.getExamplesSeen()).as("examplesSeen of %s", model).isEqualTo((long)
                    expectedExamples.get(model));
            assertThat(v.getMetrics().get("delayed.count"))
                    .as("delayed.count of %s", model)
                    .isEqualTo((double) expectedExamples.get(model));
        }
        assertThat(latest.get(CTR).getMetrics()).containsKeys("delayed.accuracy", "delayed.logloss");
        assertThat(latest.get(ETA).getMetrics()).containsKeys("delayed.rmse", "delayed.mae");
    }

    @Test
    void aWaitThatEndsWithoutADefaultLabelTrainsNothing() {
        // Read once the silent model, whose events came at the same times with the same wait, learned its defaults.
        assertThat(latest.get(DROPPED).getExamplesSeen()).isZero();
        assertThat(latest.get(DROPPED).getVersion()).isZero();
    }

    @Test
    void everySecondLabelAndEveryUnknownOneIsADeadLetterWithItsReason() {
        Map<String, List<String>> byClass = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : outputs.deadLetters) {
            byClass.computeIfAbsent(DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS), k -> new ArrayList<>())
                    .add(new String(r.key(), StandardCharsets.UTF_8));
        }
        assertThat(outputs.deadLetterKeys()).hasSize(duplicateIds.size() + unknownIds.size()); // each with a reason
        assertThat(byClass.keySet()).containsExactlyInAnyOrder("DUPLICATE_FEEDBACK", "UNMATCHED_FEEDBACK");
        assertThat(byClass.get("DUPLICATE_FEEDBACK")).containsExactlyInAnyOrderElementsOf(duplicateIds);
        assertThat(byClass.get("UNMATCHED_FEEDBACK")).containsExactlyInAnyOrderElementsOf(unknownIds);
    }

    @Test
    void aFeedbackTopicPartitionedUnlikeItsEventsIsRefusedAtStart() throws Exception {
        Topics other = Topics.prefixed("misjoined");
        try (Admin admin = Admin.create(client)) {
            Topics.create(
                    admin,
                    List.of(new NewTopic(other.events(), 2, (short) -1), new NewTopic(other.feedback(), 1, (short)
                            -1)));
        }
        FunctionsRunner.Config config = new FunctionsRunner.Config(
                client,
                "misjoined-it",
                Files.createDirectories(WORK.resolve("misjoined")),
                other,
                2,
                StreamsConfig.EXACTLY_ONCE_V2,
                1,
                FunctionsTopology.Settings.defaults("misjoined"));
        assertThatThrownBy(() -> FunctionsRunner.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic misjoined.feedback has 1 partitions and misjoined.events has 2, but labels must be "
                        + "partitioned like their events: add partitions (kafka-topics.sh --alter --topic misjoined.feedback "
                        + "--partitions 2) or delete it and let run create it, then start again");
    }
}
