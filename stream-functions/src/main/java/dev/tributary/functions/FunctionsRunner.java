package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.Routing;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.WriterSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
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
    /** How soon a function triggered by a pattern sees a new topic that matches it. */
    static final int PATTERN_REFRESH_MS = 10_000;

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
            return new Config(
                    clientProperties,
                    id,
                    stateDir,
                    topics,
                    partitions,
                    processingGuarantee,
                    threads,
                    settings,
                    routing);
        }

        public Config withProcessingGuarantee(String guarantee) {
            return new Config(
                    clientProperties,
                    applicationId,
                    stateDir,
                    topics,
                    partitions,
                    guarantee,
                    threads,
                    settings,
                    routing);
        }

        public Config withSettings(FunctionsTopology.Settings s) {
            return new Config(
                    clientProperties,
                    applicationId,
                    stateDir,
                    topics,
                    partitions,
                    processingGuarantee,
                    threads,
                    s,
                    routing);
        }

        /** This configuration for one function of a file: its application id, threads, trigger, models and output. */
        public Config forFunction(Routing function) {
            return new Config(
                    clientProperties,
                    function.self().applicationId(),
                    stateDir,
                    topics,
                    partitions,
                    processingGuarantee,
                    function.self().threads(),
                    settings.withMetering(
                            settings.metering().withFunction(function.self().name())),
                    function);
        }
    }

    public static String defaultInstanceId() {
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    private static boolean hasState(Path dir) {
        try (var entries = java.nio.file.Files.list(dir)) {
            return entries.anyMatch(p -> java.nio.file.Files.isDirectory(p));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private FunctionsRunner(Config config) {
        this.config = config;
        FunctionsTopology.Settings settings = config.settings().withPatternTrainPartitions(config.partitions());
        int registryLimit;
        try (Admin admin = Admin.create(config.clientProperties())) {
            FunctionSpec self = config.routing().self();
            List<String> joined = FeedbackJoin.applies(self) ? self.trigger().topics() : List.of();
            FeedbackTopics.coPartition(admin, joined); // first: a feedback topic takes its existing trigger's count
            config.topics().ensure(admin, config.partitions());
            Topics.create(admin, functionTopics(self, config.partitions()));
            FeedbackTopics.coPartition(admin, joined);
            registryLimit = registryMaxMessageBytes(admin, config.topics().models());
        }
        // Readers of an older release learn the schemas of what this instance writes.
        WriterSchemas.register(
                config.clientProperties(),
                config.topics().schemas(),
                RegistryRecord.getClassSchema(),
                Prediction.getClassSchema(),
                DriftAlert.getClassSchema());
        if (registryLimit < settings.maxVersionBytes()) {
            LOG.warn(
                    "Registry topic {} has max.message.bytes={}, below the {} bytes large models need: the train function "
                            + "will not publish versions larger than that",
                    config.topics().models(),
                    registryLimit,
                    settings.maxVersionBytes());
            settings = settings.withMaxVersionBytes(registryLimit);
        }
        this.follower = new RegistryFollower(
                config.clientProperties(), config.topics().models(), dev.tributary.registry.RegistryView.forServing());
        follower.start();
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

    /** The function's named trigger topics and its output topic (a pattern creates nothing: it follows what exists). */
    static List<NewTopic> functionTopics(FunctionSpec function, int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        function.trigger().topics().forEach(t -> topics.add(new NewTopic(t, partitions, (short) -1)));
        if (function.kind().scores()) {
            topics.add(new NewTopic(function.output(), partitions, (short) -1));
        }
        return topics;
    }

    /** What a runner gives Kafka Streams: the client properties, the config's, and the functions' own. */
    public static Properties streamsProperties(Config config) {
        Properties props = new Properties();
        props.putAll(config.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Static membership keyed by the state directory: an instance restarted on its directory after a
        // crash or a kill takes its partitions back at once, not after the old member's session timed out.
        props.putIfAbsent(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), staticMemberId(config));
        if (config.routing().self().trigger().pattern() != null) {
            // A topic created later that matches the pattern is seen at the next metadata refresh (default 5 min).
            props.putIfAbsent(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), PATTERN_REFRESH_MS);
        }
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, TrainFailureHandler.class.getName());
        props.put(TrainFailureHandler.DEAD_LETTERS_TOPIC, config.topics().deadLetters());
        // Versions of large models, and trainer states holding them, travel through the streams producer.
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                FunctionsTopology.TRAINER_STATE_MAX_BYTES);
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG),
                2L * FunctionsTopology.TRAINER_STATE_MAX_BYTES);
        return props;
    }

    /** The same for every start on one state directory of one machine, different for any other. */
    static String staticMemberId(Config config) {
        String where = hostName() + ":" + config.stateDir().toAbsolutePath().normalize();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(where.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "tributary-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The registry topic's max.message.bytes, or the registry's own limit if it cannot be read. */
    static int registryMaxMessageBytes(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null
                    ? Topics.REGISTRY_MAX_MESSAGE_BYTES
                    : Integer.parseInt(entry.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Topics.REGISTRY_MAX_MESSAGE_BYTES;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn(
                    "Cannot read max.message.bytes of the registry topic {} ({}); assuming {}",
                    topic,
                    e.toString(),
                    Topics.REGISTRY_MAX_MESSAGE_BYTES);
            return Topics.REGISTRY_MAX_MESSAGE_BYTES;
        }
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
    public dev.tributary.registry.RegistryView registryView() {
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
