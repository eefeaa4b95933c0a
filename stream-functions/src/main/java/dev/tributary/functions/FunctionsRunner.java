package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.Routing;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.WriterSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.rocksdb.RocksDB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the score and train functions (or of one function of a function file: {@link
 * Config#forFunction}). Start another with the same application id
 * (and its own state directory) to scale out: Kafka spreads the partitions over the instances.
 *
 * <pre>{@code
 * try (FunctionsRunner functions = FunctionsRunner.start(FunctionsRunner.Config.local("127.0.0.1:9092"))) {
 *   functions.awaitRunning(Duration.ofSeconds(30));
 *   ...
 * }
 * }</pre>
 */
public final class FunctionsRunner implements AutoCloseable {
    static {
        AvroTrust.install();
    }

    private static final Logger LOG = LoggerFactory.getLogger(FunctionsRunner.class);
    private static final Duration USAGE_FLUSH_TIMEOUT = Duration.ofSeconds(3);
    /** How long the registry follower's first catch-up, started with the instance, may take. */
    private static final Duration CATCH_UP_AT_START = Duration.ofSeconds(30);

    private final Config config;
    private final RegistryFollower follower;
    private final KafkaStreams streams;
    private final FunctionStats stats = new FunctionStats();
    private final ServedVersions served;

    /**
     * @param clientProperties bootstrap servers plus any client settings (security, timeouts) for every client
     * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
     * @param partitions partitions of the events and predictions topics when this instance creates them
     *     (and of the function's named trigger and output topics)
     * @param routing the function this instance runs, among those of its file
     */
    public record Config(
            Map<String, Object> clientProperties,
            String applicationId,
            Path stateDir,
            Topics topics,
            int partitions,
            String processingGuarantee,
            int threads,
            FunctionsTopology.Settings settings,
            Routing routing) {

        /** The score and train functions over {@code topics}, as {@code tributary run} runs them without a function file. */
        public Config(
                Map<String, Object> clientProperties,
                String applicationId,
                Path stateDir,
                Topics topics,
                int partitions,
                String processingGuarantee,
                int threads,
                FunctionsTopology.Settings settings) {
            this(
                    clientProperties,
                    applicationId,
                    stateDir,
                    topics,
                    partitions,
                    processingGuarantee,
                    threads,
                    settings,
                    Routing.alone(FunctionSpec.standard(topics, applicationId)));
        }

        public static Config local(String bootstrapServers, Path stateDir) {
            return new Config(
                    Map.of("bootstrap.servers", bootstrapServers),
                    "tributary-functions",
                    stateDir,
                    Topics.defaults(),
                    4,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    1,
                    FunctionsTopology.Settings.defaults(defaultInstanceId()));
        }

        public Config withApplicationId(String id) {
            return with(id, processingGuarantee, threads, settings, routing);
        }

        public Config withProcessingGuarantee(String guarantee) {
            return with(applicationId, guarantee, threads, settings, routing);
        }

        public Config withSettings(FunctionsTopology.Settings s) {
            return with(applicationId, processingGuarantee, threads, s, routing);
        }

        /** This configuration for one function of a file: its application id, threads, trigger, models and output. */
        public Config forFunction(Routing function) {
            FunctionSpec self = function.self();
            return with(
                    self.applicationId(),
                    processingGuarantee,
                    self.threads(),
                    settings.withMetering(settings.metering().withFunction(self.name())),
                    function);
        }

        /** The same clients, state directory, topics and partitions, for another application. */
        private Config with(String id, String guarantee, int n, FunctionsTopology.Settings s, Routing r) {
            return new Config(clientProperties, id, stateDir, topics, partitions, guarantee, n, s, r);
        }
    }

    /** This process on this machine: how an instance names itself in the versions it publishes. */
    public static String defaultInstanceId() {
        return StreamsProperties.defaultInstanceId();
    }

    private static boolean hasState(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    private FunctionsRunner(Config config) {
        this.config = config;
        FunctionsTopology.Settings settings = config.settings().withPatternTrainPartitions(config.partitions());
        if (config.routing().self().kind().trains()) {
            // A function that trains keeps its state in RocksDB stores, whose native library the first task to open
            // one unpacks and loads (about 100 ms, after the group join): loaded now, it overlaps the start instead.
            onDaemonThread(FunctionsRunner::loadRocksDb);
        }
        int registryLimit;
        try (Admin admin = Admin.create(config.clientProperties())) {
            registryLimit = InstanceTopics.prepare(admin, config);
        }
        // Readers of an older release learn the schemas of what this instance writes: registered before the
        // stream threads start (they write with them), while the registry follower starts and the topology is built.
        CompletableFuture<Void> schemas = CompletableFuture.runAsync(
                () -> WriterSchemas.register(
                        config.clientProperties(),
                        config.topics().schemas(),
                        RegistryRecord.getClassSchema(),
                        Prediction.getClassSchema(),
                        DriftAlert.getClassSchema()),
                FunctionsRunner::onDaemonThread);
        if (registryLimit < settings.maxVersionBytes()) {
            LOG.warn(
                    "Registry topic {} has max.message.bytes={}, below the {} bytes large models need: the train function "
                            + "will not publish versions larger than that",
                    config.topics().models(),
                    registryLimit,
                    settings.maxVersionBytes());
            settings = settings.withMaxVersionBytes(registryLimit);
        }
        this.follower =
                new RegistryFollower(config.clientProperties(), config.topics().models(), RegistryView.forServing());
        follower.start();
        // Read the registry now, not on the first event: the scorer then finds its model in the view at once.
        onDaemonThread(() -> follower.awaitCaughtUp(CATCH_UP_AT_START));
        ModelCatalog catalog = new ModelCatalog(follower.view(), follower::awaitCaughtUp);
        this.served = new ServedVersions(follower.view());
        this.streams = new KafkaStreams(
                FunctionsTopology.build(config.topics(), catalog, settings, stats, config.routing()),
                streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("A stream thread failed; replacing it: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info(
                "Function {} of instance {} is {} (was {})",
                config.routing().self().name(),
                config.settings().instanceId(),
                now,
                before));
        try {
            schemas.join();
        } catch (CompletionException e) {
            streams.close(Duration.ZERO);
            served.close();
            follower.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Loads RocksDB's native library; if it cannot, the first store to open reports why. */
    private static void loadRocksDb() {
        try {
            RocksDB.loadLibrary();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("RocksDB's native library did not load ahead of the stores: {}", e.toString());
        }
    }

    /** Runs {@code task} on a daemon thread of its own (a start-up step that overlaps the others). */
    private static void onDaemonThread(Runnable task) {
        Thread thread = new Thread(task, "tributary-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates missing topics, follows the registry and starts the stream threads. */
    public static FunctionsRunner start(Config config) {
        if (hasState(config.stateDir().resolve(config.applicationId()))) {
            LOG.info(
                    "Function {} resumes on state directory {}: it takes its partitions back at once; a task that a crash "
                            + "left uncommitted is rebuilt from its changelog",
                    config.routing().self().name(),
                    config.stateDir());
        }
        FunctionsRunner runner = new FunctionsRunner(config);
        runner.streams.start();
        return runner;
    }

    /** What a runner gives Kafka Streams: the client properties, the config's, and the functions' own. */
    public static Properties streamsProperties(Config config) {
        return StreamsProperties.of(config);
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            Thread.sleep(50);
        }
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public FunctionStats stats() {
        return stats;
    }

    /** The version each model is served at on this instance, and its age. */
    public ServedVersions servedVersions() {
        return served;
    }

    public Config config() {
        return config;
    }

    /** The registry as this instance sees it (the view its scorers read). */
    public RegistryView registryView() {
        return follower.view();
    }

    /** Whether this instance's registry view has applied the registry topic up to its end (waits up to {@code timeout}). */
    public boolean registryCaughtUp(Duration timeout) {
        return follower.awaitCaughtUp(timeout);
    }

    /**
     * Asks every task to write its open usage now, and waits until they have (or the timeout, while
     * events keep coming): the usage of a clean stop is billed to its end. What is still open stays
     * in the tasks' usage stores and is written by their next owner.
     */
    private void flushUsage(Duration timeout) {
        if (!streams.state().isRunningOrRebalancing()) {
            return;
        }
        stats.requestUsageFlush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (stats.usageUnwritten.sum() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For metrics bindings in this package ({@link FunctionMetrics}). */
    KafkaStreams kafkaStreams() {
        return streams;
    }

    /** Writes the open usage records, then stops the stream threads (their last transactions commit). */
    @Override
    public void close() {
        flushUsage(USAGE_FLUSH_TIMEOUT);
        // Leaving the group hands this instance's partitions to the others at once, not after the
        // session timeout: what scaling in (tributary autoscale, KEDA) relies on.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        String burst = stats.deadLetterBursts.drain(System.currentTimeMillis());
        if (burst != null) {
            LOG.warn(burst);
        }
        served.close();
        follower.close();
    }
}
