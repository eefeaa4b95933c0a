package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.ServedVersions;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.PromotionPolicy;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import dev.tributary.schema.serde.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry as a registry, on a real broker with two scoring instances (two
 * {@link FunctionsRunner}s of one application id, each with its own state directory): rollback
 * reaches both within a second, auto-promotion refuses a degraded version and accepts a good one,
 * every version survives compaction of the registry topic, and an oversized model fails clearly
 * while a 2^18-weight model trains and publishes.
 */
class RegistryIT {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryIT.class);
    private static final Topics TOPICS = Topics.defaults();
    private static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4", "x5");

    static TestBroker kafka;
    static Map<String, Object> client;
    static FunctionsRunner a;
    static FunctionsRunner b;
    static ModelRegistry registry;

    @BeforeAll
    static void start(@TempDir Path stateA, @TempDir Path stateB) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        // The registry topic as Topics makes it, plus settings that make the broker compact it within seconds.
        NewTopic standard = Topics.registryTopic(TOPICS.models());
        Map<String, String> configs = new HashMap<>(standard.configs());
        configs.put("segment.ms", "200");
        configs.put("min.cleanable.dirty.ratio", "0.01");
        configs.put("delete.retention.ms", "1000");
        try (Admin admin = Admin.create(client)) {
            Topics.create(admin, List.of(new NewTopic(TOPICS.models(), 1, (short) -1).configs(configs)));
        }
        FunctionsRunner.Config config =
                FunctionsRunner.Config.local(kafka.bootstrapServers(), stateA).withApplicationId("registry-it");
        a = FunctionsRunner.start(config.withSettings(FunctionsTopology.Settings.defaults("instance-a")));
        b = FunctionsRunner.start(new FunctionsRunner.Config(
                config.clientProperties(),
                config.applicationId(),
                stateB,
                config.topics(),
                config.partitions(),
                config.processingGuarantee(),
                config.threads(),
                FunctionsTopology.Settings.defaults("instance-b")));
        registry = new ModelRegistry(client, TOPICS.models());
        assertThat(a.awaitRunning(Duration.ofSeconds(60))).isTrue();
        assertThat(b.awaitRunning(Duration.ofSeconds(60))).isTrue();
        LOG.info("two scoring instances running against the {}", kafka.kind());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {registry, b, a, kafka}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {}", c, e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ (a) rollback

    @Test
    void rollbackTakesEffectInPredictionsWithinOneSecondOnBothInstances() throws Exception {
        SyntheticStream stream =
                new SyntheticStream("rollback", Algorithm.LOGISTIC_REGRESSION, FEATURES.size(), 3, Long.MAX_VALUE);
        registry.createModel(ModelVersions.defaultSpec("rollback", Algorithm.LOGISTIC_REGRESSION, FEATURES)
                .setPublishEvery(200)
                .setPublishIntervalMs(600_000)
                .build());
        send(stream, 600, false);
        awaitVersion("rollback", 3);
        registry.setAlias("rollback", "champion", 3);
        awaitServed("rollback", 3, Duration.ofSeconds(5));

        // Unlabelled events flow over every partition before, during and after the rollback.
        long scoredA = a.stats().scored.sum();
        long scoredB = b.stats().scored.sum();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> ids = new ArrayList<>();
        Thread feeder = new Thread(
                () -> {
                    try (EventPublisher out = new EventPublisher(client, TOPICS.events(), 300)) {
                        for (int i = 0; running.get(); i++) {
                            Event e = stream.next();
                            e.setId("live-" + i);
                            e.setLabel(null);
                            out.send(e);
                            synchronized (ids) {
                                ids.add(e.getId());
                            }
                        }
                        out.flush();
                    }
                },
                "feeder");
        feeder.start();
        Thread.sleep(1000);

        long before = System.currentTimeMillis();
        ModelRegistry.Rollback rollback = registry.rollback("rollback", null);
        assertThat(rollback.from()).isEqualTo(3L);
        assertThat(rollback.to()).isEqualTo(2L);
        Map<String, Long> reachedAfter = new HashMap<>();
        while (reachedAfter.size() < 2 && System.currentTimeMillis() - before < 5000) {
            for (Map.Entry<String, FunctionsRunner> instance :
                    Map.of("a", a, "b", b).entrySet()) {
                ServedVersions.Served s =
                        instance.getValue().servedVersions().of("rollback").orElseThrow();
                if (s.version() == 2 && !reachedAfter.containsKey(instance.getKey())) {
                    reachedAfter.put(instance.getKey(), s.since() - before);
                    assertThat(s.viaChampion()).isTrue();
                    assertThat(s.ageMs(System.currentTimeMillis())).isGreaterThan(0);
                }
            }
            Thread.sleep(2);
        }
        LOG.info("rollback reached the instances after {} ms (from before the rollback call)", reachedAfter);
        assertThat(reachedAfter).containsOnlyKeys("a", "b");
        assertThat(reachedAfter.values()).allSatisfy(ms -> assertThat(ms).isLessThan(1000));

        Thread.sleep(2000);
        running.set(false);
        feeder.join();
        Set<String> expected;
        synchronized (ids) {
            expected = new TreeSet<>(ids);
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Prediction> predictions =
                predictions(p -> p.getEventId().startsWith("live-"), expected.size(), records);
        assertThat(predictions.keySet()).isEqualTo(expected);
        long cutoff = before + 1000;
        List<Prediction> late = predictions.values().stream()
                .filter(p -> p.getScoredAt() >= cutoff)
                .toList();
        List<Prediction> early = predictions.values().stream()
                .filter(p -> p.getScoredAt() < before)
                .toList();
        assertThat(early)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(3L));
        assertThat(late)
                .hasSizeGreaterThan(50)
                .allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(2L));
        // The late predictions came from every partition, and both instances scored some of them.
        Set<String> lateIds = late.stream().map(Prediction::getEventId).collect(Collectors.toSet());
        Set<Integer> partitions = records.stream()
                .filter(r -> lateIds.contains(new String(r.key(), StandardCharsets.UTF_8)))
                .map(ConsumerRecord::partition)
                .collect(Collectors.toSet());
        assertThat(partitions).hasSize(a.config().partitions());
        assertThat(a.stats().scored.sum()).isGreaterThan(scoredA);
        assertThat(b.stats().scored.sum()).isGreaterThan(scoredB);

        // Version 1 is neither among the two newest nor aliased: the instances released its weights, and
        // the rollback (which sends it again before the alias) brings it back whole.
        assertThat(a.registryView().version("rollback", 1))
                .hasValueSatisfying(v -> assertThat(RegistryView.isReleased(v)).isTrue());
        registry.rollback("rollback", 1L);
        awaitServed("rollback", 1, Duration.ofSeconds(5));
        assertThat(a.registryView().serving("rollback"))
                .hasValueSatisfying(v -> assertThat(RegistryView.isReleased(v)).isFalse());
        assertThat(a.stats().deadLetters.sum() + b.stats().deadLetters.sum()).isZero();
    }

    // ------------------------------------------------------------------ (b) auto-promotion

    @Test
    void autoPromotionRefusesADegradedVersionAndAcceptsAGoodOne() throws Exception {
        // Deterministic labels with 5% noise: a good model reaches about 0.93 accuracy.
        SyntheticStream stream = new SyntheticStream("gate", Algorithm.LINEAR_SVM, FEATURES.size(), 21, Long.MAX_VALUE);
        int window = 300;
        registry.createModel(ModelVersions.defaultSpec("gate", Algorithm.LOGISTIC_REGRESSION, FEATURES)
                .setPublishEvery(window)
                .setPublishIntervalMs(600_000)
                .setPromotion(PromotionPolicy.AUTO)
                .setPromotionWindow(window)
                .setPromotionMargin(0.06)
                .build());
        assertThat(registry.aliases("gate")).containsEntry("champion", 0L);

        send(stream, 3 * window, false);
        awaitVersion("gate", 3);
        NavigableMap<Long, ModelVersion> good = registry.versions("gate");
        assertThat(good.get(1L).getPromotion().getAccepted()).isTrue();
        long champion = registry.aliases("gate").get("champion");
        assertThat(champion).isPositive();
        assertThat(good.get(champion).getPromotion().getAccepted()).isTrue();
        double championAccuracy = good.get(champion).getMetrics().get("window.accuracy");
        assertThat(championAccuracy).isGreaterThan(0.8);

        send(stream, window, true); // the degraded phase: every label flipped
        awaitVersion("gate", 4);
        ModelVersion degraded = registry.version("gate", 4).orElseThrow();
        PromotionDecision refused = degraded.getPromotion();
        LOG.info("degraded version 4: {}", refused);
        assertThat(refused.getAccepted()).isFalse();
        assertThat(refused.getChampionVersion()).isEqualTo(champion);
        assertThat(refused.getChampionWindowMetric()).isEqualTo(championAccuracy);
        assertThat(refused.getWindowMetric()).isLessThan(championAccuracy - 0.06);
        assertThat(refused.getReason()).contains("is worse than champion version " + champion);
        assertThat(registry.aliases("gate")).containsEntry("champion", champion).containsEntry("challenger", 4L);
        awaitServed("gate", champion, Duration.ofSeconds(1));

        Long promoted = null;
        for (int round = 0; round < 10 && promoted == null; round++) {
            send(stream, window, false); // good labels again: once it has recovered, a version passes
            long v = 5 + round;
            awaitVersion("gate", v);
            if (registry.version("gate", v).orElseThrow().getPromotion().getAccepted()) {
                promoted = v;
            }
        }
        assertThat(promoted)
                .as("a good version after the degraded one is promoted")
                .isNotNull();
        LOG.info(
                "good version {}: {}",
                promoted,
                registry.version("gate", promoted).orElseThrow().getPromotion());
        assertThat(registry.aliases("gate")).containsEntry("champion", promoted);
        awaitServed("gate", promoted, Duration.ofSeconds(1));
        assertThat(a.stats().versionsRefused.sum() + b.stats().versionsRefused.sum())
                .isPositive();
    }

    // ------------------------------------------------------------------ (c) compaction

    @Test
    void everyVersionIsStillListedAfterTheRegistryTopicIsCompacted() throws Exception {
        ModelSpec spec = ModelVersions.defaultSpec("history", Algorithm.LINEAR_REGRESSION, FEATURES)
                .build();
        ModelVersion v0 = registry.createModel(spec);
        int versions = 40;
        for (long v = 1; v <= versions; v++) {
            registry.publishVersion(ModelVersion.newBuilder(v0)
                    .setVersion(v)
                    .setParentVersion(v - 1)
                    .setExamplesSeen(10 * v)
                    .setProducedBy("registry-it")
                    .setCreatedAt(System.currentTimeMillis())
                    .build());
            registry.setAlias("history", "champion", v);
            registry.setAlias("history", "challenger", v - 1);
        }
        assertThat(registry.retireVersion("history", 5, false)).isEmpty();
        String championKey = RegistryKeys.alias("history", "champion");
        LOG.info(
                "{} of the {} champion records written are still in the topic (the cleaner may have started already)",
                count(championKey),
                versions);

        // Compaction never touches the active segment: keep rolling it (segment.ms=200) until the
        // cleaner has removed the overwritten champion records.
        long started = System.nanoTime();
        await(Duration.ofSeconds(60), () -> {
            registry.setAlias("history", "tick", versions);
            sleep(300);
            return count(championKey) == 1;
        });
        LOG.info("registry topic compacted after {} ms", (System.nanoTime() - started) / 1_000_000);

        try (ModelRegistry fresh = new ModelRegistry(client, TOPICS.models())) {
            NavigableMap<Long, ModelVersion> listed = fresh.versions("history");
            Set<Long> expected = new TreeSet<>();
            for (long v = 0; v <= versions; v++) {
                if (v != 5) {
                    expected.add(v);
                }
            }
            assertThat(listed.keySet()).isEqualTo(expected);
            assertThat(listed.get(40L).getExamplesSeen()).isEqualTo(400);
            assertThat(listed.get(40L).getParentVersion()).isEqualTo(39L);
            assertThat(fresh.aliases("history")).containsEntry("champion", 40L).containsEntry("challenger", 39L);
            assertThat(fresh.serving("history")).map(ModelVersion::getVersion).contains(40L);
        }
    }

    // ------------------------------------------------------------------ (d) size

    @Test
    void aModelOverTheSizeLimitFailsClearlyAndA2To18WeightModelPublishes() throws Exception {
        ModelSpec tooBig = ModelVersions.defaultSpec("too-big", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setCategoricalFeatures(List.of("user"))
                .setHashBits(23)
                .build();
        assertThatThrownBy(() -> registry.createModel(tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the registry's limit of 33,554,432 bytes per record")
                .hasMessageContaining("lower hashBits from 23 to");
        assertThat(registry.spec("too-big")).isEmpty();

        ModelSpec wide = ModelVersions.defaultSpec("wide", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setCategoricalFeatures(List.of("user"))
                .setHashBits(18)
                .setOptimizer(OptimizerKind.ADAGRAD)
                .setPublishEvery(20)
                .setPublishIntervalMs(600_000)
                .build();
        ModelVersion v0 = registry.createModel(wide);
        assertThat(v0.getWeights().remaining()).isEqualTo(Double.BYTES * ((1 << 18) + 1));

        // A version too large for the registry, published by hand, is refused before it reaches the broker.
        int n = (1 << 18) + 1;
        Map<String, java.nio.ByteBuffer> vectors = new HashMap<>();
        for (int i = 0; i < 16; i++) {
            vectors.put("v" + i, Vectors.toBytes(new double[n]));
        }
        ModelVersion oversized = ModelVersion.newBuilder(v0)
                .setVersion(99)
                .setOptimizerState(dev.tributary.schema.OptimizerState.newBuilder(v0.getOptimizerState())
                        .setVectors(vectors)
                        .build())
                .build();
        assertThatThrownBy(() -> registry.publishVersion(oversized))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 99 of model 'wide' is ")
                .hasMessageContaining("over the registry's limit of 33,554,432 bytes per record");

        try (EventPublisher out = new EventPublisher(client, TOPICS.events(), 0)) {
            for (int i = 0; i < 60; i++) {
                out.send(Event.newBuilder()
                        .setId("wide-" + i)
                        .setModel("wide")
                        .setFeatures(Map.of("x1", (double) (i % 3)))
                        .setCategories(Map.of("user", "u" + (i % 7)))
                        .setLabel((double) (i % 7 < 3 ? 1 : 0))
                        .setTimestamp(System.currentTimeMillis())
                        .build());
            }
            out.flush();
        }
        awaitVersion("wide", 3);
        ModelVersion v3 = registry.version("wide", 3).orElseThrow();
        assertThat(v3.getExamplesSeen()).isEqualTo(60);
        assertThat(v3.getWeights().remaining()).isEqualTo(Double.BYTES * ((1 << 18) + 1));
        assertThat(v3.getOptimizerState().getVectors().get("g2").remaining()).isEqualTo(Double.BYTES * ((1 << 18) + 1));
        assertThat(a.stats().versionsTooLarge.sum() + b.stats().versionsTooLarge.sum())
                .isZero();
        assertThat(predictions(p -> p.getEventId().startsWith("wide-"), 60, new ArrayList<>()))
                .hasSize(60);
    }

    // ------------------------------------------------------------------ helpers

    private static void send(SyntheticStream stream, int n, boolean flipLabels) {
        try (EventPublisher out = new EventPublisher(client, TOPICS.events(), 0)) {
            for (int i = 0; i < n; i++) {
                Event e = stream.next();
                if (flipLabels) {
                    e.setLabel(1.0 - e.getLabel());
                }
                out.send(e);
            }
            out.flush();
        }
    }

    private static void awaitVersion(String model, long version) {
        await(Duration.ofSeconds(30), () -> registry.versions(model).containsKey(version));
    }

    /** Waits until both instances serve {@code version} of {@code model}. */
    private static void awaitServed(String model, long version, Duration timeout) {
        await(
                timeout,
                () -> List.of(a, b).stream()
                        .allMatch(f -> f.servedVersions()
                                .of(model)
                                .map(s -> s.version() == version)
                                .orElse(false)));
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many records with {@code key} the registry topic holds now, read raw from its start. */
    private static int count(String key) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPICS.models(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            int count = 0;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** The committed predictions matching {@code filter}, by event id, once {@code expected} of them have arrived. */
    private static Map<String, Prediction> predictions(
            java.util.function.Predicate<Prediction> filter,
            int expected,
            List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("group.id", "registry-it-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        AvroCodec<Prediction> codec = TributarySerdes.prediction().codec();
        Map<String, Prediction> found = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPICS.predictions()));
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Prediction p = codec.decode(r.value());
                    if (filter.test(p)) {
                        found.put(p.getEventId(), p);
                        records.add(r);
                    }
                }
            }
        }
        return found;
    }
}
