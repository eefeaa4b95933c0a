package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.internal.CommitHook;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.Topics;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.serde.TributarySerdes;
import dev.tributary.schema.wire.ExampleBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit hook on a real broker under {@code exactly_once_v2}: the score function writes each
 * model's examples to the re-keying topic as one batch per commit, and the trainer's state is written
 * as each task commits — once per commit, not once per example, and in the same transaction as the
 * input offsets — and a new instance, with no local state, rebuilds the learner from the changelogs
 * and goes on without losing or repeating an example.
 */
class CommitHookIT {
    static final String APP = "commit-hook-it";
    static final String MODEL = "hooked";
    /** Examples before the restart, and after it: together, one publication. */
    static final int BEFORE = 2000;

    static final int AFTER = 1000;

    static TestBroker kafka;
    static ModelRegistry registry;
    static Map<String, Object> client;

    @BeforeAll
    static void start() {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        registry = new ModelRegistry(client, Topics.defaults().models());
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(registry, kafka);
    }

    private static FunctionsRunner runner(Path stateDir) {
        // The re-keying topic's records stay after they are consumed (Kafka Streams purges them every 30 s).
        Map<String, Object> clients =
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "repartition.purge.interval.ms", 3_600_000);
        FunctionsRunner.Config local = FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir);
        FunctionsRunner.Config config = new FunctionsRunner.Config(
                clients,
                APP,
                stateDir,
                local.topics(),
                local.partitions(),
                local.processingGuarantee(),
                local.threads(),
                local.settings());
        assertThat(config.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        return FunctionsRunner.start(config);
    }

    @Test
    void theTrainerStateIsWrittenAtEachCommitAndSurvivesARestart(@TempDir Path first, @TempDir Path second)
            throws Exception {
        assertThat(CommitHook.available())
                .as("the Kafka Streams on the class path has the interface the hook adapts")
                .isTrue();
        SyntheticStream stream = new SyntheticStream(MODEL, Algorithm.LOGISTIC_REGRESSION, 3, 7, Long.MAX_VALUE);
        registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, stream.featureNames())
                .setPublishEvery(BEFORE + AFTER)
                .setPublishIntervalMs(3_600_000)
                // A small state: a commit that covers more than a few examples checkpoints it instead of journalling.
                .setPromotionWindow(20)
                .build());

        try (FunctionsRunner functions = runner(first)) {
            assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
            send(stream, BEFORE);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (Committed.read().examples() < BEFORE) {
                assertThat(System.nanoTime())
                        .as("%d examples committed", BEFORE)
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }

        // What the commits wrote, as a new owner of the task restores it (committed transactions only).
        Committed committed = Committed.read();
        assertThat(committed.checkpointed())
                .as("a checkpoint written by the hook")
                .isPositive();
        assertThat(committed.examples())
                .as("the last checkpoint and the journal since hold every example, each once")
                .isEqualTo(BEFORE);
        assertThat(committed.writes())
                .as("written once per commit (a checkpoint or a few journal entries), not once per example")
                .isLessThan(BEFORE / 2);
        assertThat(registry.versions(MODEL)).as("nothing published yet").doesNotContainKey(1L);

        List<Long> batchSizes = new ArrayList<>();
        readTopic(FunctionsTopology.trainRepartitionTopic(APP), (key, value) -> {
            assertThat(ExampleBatch.matches(value)).as("a batch of examples").isTrue();
            batchSizes.add((long) ExampleBatch.read(value).size());
        });
        assertThat(batchSizes.stream().mapToLong(Long::longValue).sum())
                .as("each example in one committed batch, once")
                .isEqualTo(BEFORE);
        assertThat(batchSizes.size())
                .as("one record per model per commit across the re-keying topic, not one per example: %s", batchSizes)
                .isLessThan(BEFORE / 10);

        try (FunctionsRunner functions = runner(second)) {
            assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
            send(stream, AFTER);
            ModelVersion v1 = awaitVersion(1, Duration.ofMinutes(2));
            assertThat(v1.getExamplesSeen()).isEqualTo(BEFORE + AFTER);
            long offsets = 0;
            for (OffsetRange r : v1.getSourceOffsets()) {
                assertThat(r.getTopic()).isEqualTo(Topics.defaults().events());
                offsets += r.getToOffset() - r.getFromOffset() + 1;
            }
            assertThat(offsets)
                    .as("each input offset learned once, across the restart")
                    .isEqualTo(BEFORE + AFTER);
        }
    }

    private static void send(SyntheticStream stream, int n) {
        try (EventPublisher out = new EventPublisher(client, Topics.defaults().events(), 0)) {
            for (int i = 0; i < n; i++) {
                out.send(stream.next());
            }
            out.flush();
        }
    }

    /**
     * The model's state as the committed changelogs hold it: the last checkpoint, the journal entries
     * since, and how many records both changelogs hold.
     */
    record Committed(long checkpointed, TreeSet<Long> journalled, long writes) {
        /** The examples the state holds, if the journal since the checkpoint has no gap; else -1. */
        long examples() {
            boolean contiguous = journalled.isEmpty()
                    || journalled.first() == checkpointed + 1 && journalled.last() == checkpointed + journalled.size();
            return contiguous ? checkpointed + journalled.size() : -1;
        }

        static Committed read() throws Exception {
            List<TrainerState> checkpoints = new ArrayList<>();
            Map<String, TrainingExample> journal = new HashMap<>();
            long journalWrites = readChangelog(
                    FunctionsTopology.TRAINER_JOURNAL,
                    (key, value) -> journal.put(
                            key,
                            TributarySerdes.trainingExample().deserializer().deserialize("", value)));
            long checkpointWrites = readChangelog(
                    FunctionsTopology.TRAINER_STORE,
                    (key, value) -> checkpoints.add(
                            TributarySerdes.trainerState().deserializer().deserialize("", value)));
            long checkpointed = checkpoints.isEmpty()
                    ? 0
                    : checkpoints.get(checkpoints.size() - 1).getCurrent().getExamplesSeen();
            TreeSet<Long> journalled = new TreeSet<>();
            journal.values().stream()
                    .map(TrainingExample::getSequence)
                    .filter(sequence -> sequence > checkpointed)
                    .forEach(journalled::add);
            return new Committed(checkpointed, journalled, journalWrites + checkpointWrites);
        }
    }

    /** Reads the committed records of a store's changelog, in order; returns how many there are. */
    private static long readChangelog(String store, BiConsumer<String, byte[]> each) throws Exception {
        return readTopic(APP + "-" + store + "-changelog", each);
    }

    /** Reads the committed records of a topic, in order; returns how many there are. */
    private static long readTopic(String topic, BiConsumer<String, byte[]> each) throws Exception {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        try (Admin admin = Admin.create(client);
                KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            List<TopicPartition> partitions =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(
                            latest,
                            new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                    .all()
                    .get()
                    .forEach((p, info) -> ends.put(p, info.offset()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        each.accept(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), r.value());
                        count++;
                    }
                }
            }
            return count;
        }
    }

    private static ModelVersion awaitVersion(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ModelVersion v = registry.versions(MODEL).get(version);
            if (v != null) {
                return v;
            }
            assertThat(System.nanoTime()).as("version %d of %s", version, MODEL).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
