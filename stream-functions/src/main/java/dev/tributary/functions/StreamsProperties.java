package dev.tributary.functions;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What one instance of a function gives Kafka Streams: the client properties, its runner's
 * configuration ({@link FunctionsRunner.Config}) and the functions' own settings, and the names that
 * tell instances apart.
 */
public final class StreamsProperties {
    /** How soon a function triggered by a pattern sees a new topic that matches it. */
    static final int PATTERN_REFRESH_MS = 10_000;
    /** How long a fetch of the stream threads' consumers waits at the broker for records that are not there. */
    public static final int IDLE_FETCH_WAIT_MS = 50;
    /**
     * The main consumer's first retry backoff, which is also how often Kafka Streams' partition assignor checks
     * whether the internal topics it has just created are ready.
     */
    public static final int MAIN_CONSUMER_RETRY_BACKOFF_MS = 20;
    /**
     * Kafka Streams' {@code poll.ms}: how long a stream thread's poll blocks when no record comes, and the state
     * updater's restore poll too.
     */
    public static final long POLL_MS = 10;
    /** The producers' first retry backoff: under exactly-once, also how soon a new producer asks for its id. */
    public static final int PRODUCER_RETRY_BACKOFF_MS = 10;

    /**
     * How long the functions' producers wait to fill a batch. Kafka Streams sets 100 ms; a commit
     * flushes the producers anyway, so under exactly-once it changes nothing, but under at_least_once
     * at a modest rate it is what a prediction waits before it is sent. At a high rate batches fill
     * before it is over.
     */
    public static final int PRODUCER_LINGER_MS = 2;

    private StreamsProperties() {}

    /**
     * The functions' own client defaults, each unless {@code props} already set it: producers that
     * linger {@link #PRODUCER_LINGER_MS}, consumers whose fetches wait {@link #IDLE_FETCH_WAIT_MS}
     * at the broker when there is nothing to read, a main consumer whose retries start at
     * {@link #MAIN_CONSUMER_RETRY_BACKOFF_MS}, producers whose retries start at {@link #PRODUCER_RETRY_BACKOFF_MS},
     * and stream threads that poll for {@link #POLL_MS}.
     */
    public static void clientDefaults(Properties props) {
        String linger = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
        if (!props.containsKey(ProducerConfig.LINGER_MS_CONFIG) && !props.containsKey(linger)) {
            props.put(linger, PRODUCER_LINGER_MS);
        }
        // A fetch that finds nothing waits at the broker for fetch.max.wait.ms (default 500 ms): the changelogs of a
        // new task are read to their end, and a task that has restored has its input fetched, at most that much
        // later. Shorter waits only add empty fetches while a partition is idle; data still returns at once.
        String fetchWait = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG;
        consumerDefault(props, fetchWait, IDLE_FETCH_WAIT_MS, StreamsConfig.MAIN_CONSUMER_PREFIX);
        consumerDefault(props, fetchWait, IDLE_FETCH_WAIT_MS, StreamsConfig.RESTORE_CONSUMER_PREFIX);
        // The partition assignor creates a new application's changelog and repartition topics, then checks every
        // retry.backoff.ms of the main consumer's configuration (default 100 ms) until the broker has them ready:
        // about 300 ms of a first start. The consumer's own retries still back off exponentially from there, up to
        // retry.backoff.max.ms (1 s), so a broker that does not answer is not asked more often for long.
        consumerDefault(
                props,
                CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG,
                MAIN_CONSUMER_RETRY_BACKOFF_MS,
                StreamsConfig.MAIN_CONSUMER_PREFIX);
        // A new task's changelog is found read to its end, and a restored task is handed back to its stream thread,
        // only when a poll returns: with Kafka Streams' 100 ms, a start or a rebalance waits for two or three of
        // them. Records still return at once; an idle thread only wakes more often.
        props.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, POLL_MS);
        // Under exactly-once a stream thread's producer, when the thread gets its first tasks, looks up its transaction
        // coordinator and sends its InitProducerId retry.backoff.ms (default 100 ms) later, with the thread waiting.
        // Retries still back off exponentially from there, up to retry.backoff.max.ms (1 s).
        String producerBackoff = StreamsConfig.producerPrefix(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG);
        if (!props.containsKey(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG) && !props.containsKey(producerBackoff)) {
            props.put(producerBackoff, PRODUCER_RETRY_BACKOFF_MS);
        }
    }

    /**
     * Sets {@code config} of one kind of Kafka Streams consumer ({@code consumerPrefix}) to {@code value}, unless the
     * client properties set it for every client, for all of Streams' consumers or for that kind.
     */
    private static void consumerDefault(Properties props, String config, Object value, String consumerPrefix) {
        if (!props.containsKey(config) && !props.containsKey(StreamsConfig.consumerPrefix(config))) {
            props.putIfAbsent(consumerPrefix + config, value);
        }
    }

    /** The client properties, the config's, and the functions' own. */
    public static Properties of(FunctionsRunner.Config config) {
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
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                staticMemberId(config.stateDir()));
        if (config.routing().self().trigger().pattern() != null) {
            // A topic created later that matches the pattern is seen at the next metadata refresh (default 5 min).
            props.putIfAbsent(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), PATTERN_REFRESH_MS);
        }
        clientDefaults(props);
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

    /** This process on this machine: how an instance names itself in the versions it publishes. */
    public static String defaultInstanceId() {
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    /** The same for every start on one state directory of one machine, different for any other. */
    static String staticMemberId(Path stateDir) {
        String where = hostName() + ":" + stateDir.toAbsolutePath().normalize();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(where.getBytes(StandardCharsets.UTF_8));
            return "tributary-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
