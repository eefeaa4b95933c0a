package dev.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.FunctionStats;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.learn.Learner;
import dev.tributary.learn.Learners;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bench --models N}: one score application serving N models of 100 numeric features and
 * one model of 2^18 hashed weights, in this JVM, over events spread across all of them; new
 * versions of some models are published while it runs. Reports the heap after a full GC with
 * every model decoded, the GC time share during the phase, how many versions were decoded (each
 * once is N + 1 + the new versions) and whether a superseded decoded version was released.
 */
final class MemoryPhase {
    static final int FEATURES = 100;
    static final int HASH_BITS = 18;
    static final int CATEGORIES = 20;
    static final String HASHED = "hashed";

    private MemoryPhase() {}

    static String name(int i) {
        return String.format(Locale.ROOT, "m%04d", i);
    }

    static ObjectNode run(
            Map<String, Object> client,
            Admin admin,
            String prefix,
            int models,
            BenchSettings settings,
            Path stateRoot,
            Consumer<String> progress)
            throws Exception {
        Topics topics = new Topics(
                prefix + ".mem.events",
                prefix + ".mem.predictions",
                prefix + ".mem.models",
                prefix + ".mem.dead-letters",
                prefix + ".mem.usage");
        topics.ensure(admin, settings.partitions());
        List<String> numeric =
                IntStream.rangeClosed(1, FEATURES).mapToObj(i -> "f" + i).toList();
        List<String> categorical =
                IntStream.rangeClosed(1, CATEGORIES).mapToObj(i -> "c" + i).toList();
        ModelSpec hashedSpec = ModelVersions.defaultSpec(HASHED, Algorithm.LOGISTIC_REGRESSION, List.of("f1"))
                .setCategoricalFeatures(categorical)
                .setHashBits(HASH_BITS)
                .build();
        long t0 = System.nanoTime();
        try (ModelRegistry registry = new ModelRegistry(client, topics.models(), Duration.ofSeconds(60))) {
            registry.createModel(hashedSpec);
            for (int i = 0; i < models; i++) {
                registry.createModel(ModelVersions.defaultSpec(name(i), Algorithm.LOGISTIC_REGRESSION, numeric)
                        .build());
            }
            progress.accept(String.format(
                    Locale.ROOT,
                    "memory: created %,d models of %d features and '%s' (2^%d hashed " + "weights) in %.1f s",
                    models,
                    FEATURES,
                    HASHED,
                    HASH_BITS,
                    (System.nanoTime() - t0) / 1e9));

            long bytes = preload(client, topics.events(), models, settings.events(), settings.seed());
            progress.accept(String.format(
                    Locale.ROOT,
                    "memory: preloaded %,d events (%,d MB) over %,d models",
                    settings.events(),
                    bytes / 1_000_000,
                    models + 1));

            RegistryFollower follower =
                    new RegistryFollower(client, topics.models(), RegistryView.forServing()).start();
            try {
                if (!follower.awaitCaughtUp(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the registry " + topics.models() + " could not be read");
                }
                ModelCatalog catalog = new ModelCatalog(follower.view(), follower::awaitCaughtUp);
                List<TopicPartition> partitions = IntStream.range(0, settings.partitions())
                        .mapToObj(p -> new TopicPartition(topics.events(), p))
                        .toList();
                Map<TopicPartition, Long> inputEnd =
                        ThroughputPhase.endOffsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
                var topology = FunctionsTopology.build(
                        topics, catalog, FunctionsTopology.Settings.defaults("bench-mem"), new FunctionStats(), false);

                // While it scores: new versions of the hashed model and of 10 small ones, one per second.
                AtomicReference<WeakReference<Object>> firstHashed = new AtomicReference<>();
                List<Integer> swapped = new ArrayList<>();
                AtomicReference<Throwable> swapFailure = new AtomicReference<>();
                Thread swapper = new Thread(
                        () -> {
                            try {
                                Thread.sleep(2000);
                                firstHashed.set(new WeakReference<>((Object) catalog.serving(HASHED)));
                                for (int k = 1;
                                        k <= 3 && !Thread.currentThread().isInterrupted();
                                        k++) {
                                    publish(registry, hashedSpec, k);
                                    for (int i = 0; i < Math.min(10, models); i++) {
                                        publish(registry, registry.spec(name(i)).orElseThrow(), k);
                                    }
                                    synchronized (swapped) {
                                        swapped.add(1 + Math.min(10, models));
                                    }
                                    Thread.sleep(1000);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (Throwable e) {
                                swapFailure.set(e);
                            }
                        },
                        "bench-memory-swaps");

                List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
                long gcTimeBefore = gcs.stream()
                        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                        .sum();
                long gcCountBefore = gcs.stream()
                        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                        .sum();
                long started = System.nanoTime();
                swapper.start();
                ThroughputPhase.Result r = ThroughputPhase.run(
                        admin,
                        StreamsApps.functionProperties(
                                client, prefix + "-mem", stateRoot.resolve("mem"), BenchSettings.ALOS, settings),
                        topology,
                        "score (" + (models + 1) + " models)",
                        BenchSettings.ALOS,
                        inputEnd,
                        List.of(),
                        settings.phaseTimeoutSeconds(),
                        progress);
                swapper.interrupt();
                swapper.join(10_000);
                double wall = (System.nanoTime() - started) / 1e9;
                long gcTime = gcs.stream()
                                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                                .sum()
                        - gcTimeBefore;
                long gcCount = gcs.stream()
                                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                                .sum()
                        - gcCountBefore;
                int versionsPublished =
                        swapped.stream().mapToInt(Integer::intValue).sum();

                // Every model is looked up once more, so each one's served version is decoded (and held).
                for (int i = 0; i < models; i++) {
                    catalog.serving(name(i));
                }
                catalog.serving(HASHED);
                System.gc();
                Thread.sleep(200);
                System.gc();
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                WeakReference<Object> old = firstHashed.get();
                long viewVersions = 0;
                for (String m : follower.view().models()) {
                    viewVersions += follower.view().versions(m).size();
                }

                ObjectMapper json = new ObjectMapper();
                ObjectNode root = json.createObjectNode();
                root.put("models", models + 1);
                root.put(
                        "description",
                        models + " logistic-regression models of " + FEATURES + " numeric features (AdaGrad, "
                                + "standardized) and '" + HASHED + "': " + CATEGORIES
                                + " categorical features hashed into 2^" + HASH_BITS
                                + " weights; events spread round-robin over all of them; at_least_once, score only");
                root.put("events", r.events());
                root.put("complete", r.complete());
                root.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
                root.put("seconds", Math.round(r.seconds() * 100) / 100.0);
                root.put("heapUsedAfterFullGcBytes", heap.getUsed());
                root.put("heapCommittedBytes", heap.getCommitted());
                root.put("heapMaxBytes", heap.getMax());
                root.put("gcMillisDuringPhase", gcTime);
                root.put("gcCountDuringPhase", gcCount);
                root.put("gcTimeShare", Math.round(gcTime / (wall * 1000) * 10000) / 10000.0);
                root.put("versionsPublishedDuringPhase", versionsPublished);
                root.put("versionsDecoded", catalog.decodeCount());
                root.put("versionsDecodedIfEachOnce", models + 1 + versionsPublished);
                root.put("decodedModelsHeld", catalog.cachedModels());
                root.put("versionsHeldByRegistryView", viewVersions);
                root.put("firstHashedVersionReleased", old == null ? null : old.get() == null);
                if (swapFailure.get() != null) {
                    root.put("swapFailure", String.valueOf(swapFailure.get()));
                }
                return root;
            } finally {
                follower.close();
            }
        }
    }

    /** A version trained on a few examples of its own, so its weights differ from the last one. */
    private static void publish(ModelRegistry registry, ModelSpec spec, int k) {
        ModelVersion latest = registry.latest(spec.getName()).orElseThrow();
        Learner learner = Learners.create(ModelVersions.configOf(spec));
        var featurizer = new dev.tributary.learn.Featurizer(
                spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits());
        var x = new dev.tributary.learn.FeatureVector(64);
        Random random = new Random(k);
        for (int i = 0; i < 50; i++) {
            Event e = event(random, spec.getName(), spec.getHashBits() > 0, i);
            featurizer.fill(e.getFeatures(), e.getCategories(), x);
            learner.learn(x, random.nextBoolean() ? 1.0 : 0.0);
        }
        registry.publishVersion(ModelVersions.versionOf(
                spec.getName(),
                latest.getVersion() + 1,
                learner.snapshot(),
                latest.getVersion(),
                List.of(),
                "bench",
                System.currentTimeMillis(),
                Map.of()));
    }

    private static Event event(Random random, String model, boolean hashed, long i) {
        Map<String, Double> features = new HashMap<>();
        Map<String, String> categories = new HashMap<>();
        if (hashed) {
            features.put("f1", random.nextGaussian());
            for (int c = 1; c <= CATEGORIES; c++) {
                categories.put("c" + c, "v" + random.nextInt(100_000));
            }
        } else {
            for (int f = 1; f <= FEATURES; f++) {
                features.put("f" + f, random.nextGaussian());
            }
        }
        return Event.newBuilder()
                .setId("e" + i)
                .setModel(model)
                .setFeatures(features)
                .setCategories(categories)
                .setTimestamp(System.currentTimeMillis())
                .build();
    }

    /** Events i → model i mod (models + 1), the last slot being the hashed model. Small batches: a small heap. */
    private static long preload(Map<String, Object> client, String topic, int models, long n, long seed) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * 1024 * 1024);
        AvroCodec<Event> codec = AvroCodec.of(Event.class);
        Random random = new Random(seed);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < n && failure.get() == null; i++) {
                int m = (int) (i % (models + 1));
                Event e = event(random, m == models ? HASHED : name(m), m == models, i);
                byte[] value = codec.encode(e);
                bytes += value.length;
                producer.send(
                        new ProducerRecord<>(topic, e.getId().getBytes(StandardCharsets.UTF_8), value), (md, ex) -> {
                            if (ex != null) {
                                failure.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "preloading " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        return bytes;
    }
}
