package dev.tributary.functions;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
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
     * How long the functions' producers wait to fill a batch. Kafka Streams sets 100 ms; a commit
     * flushes the producers anyway, so under exactly-once it changes nothing, but under at_least_once
     * at a modest rate it is what a prediction waits before it is sent.
     */
    public static final int PRODUCER_LINGER_MS = 5;

    private StreamsProperties() {}

    /**
     * The functions' own client defaults, each unless {@code props} already set it: producers that
     * linger {@link #PRODUCER_LINGER_MS}, and consumers whose fetches wait {@link #IDLE_FETCH_WAIT_MS}
     * at the broker when there is nothing to read.
     */
    public static void clientDefaults(Properties props) {
        String linger = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
        if (!props.containsKey(ProducerConfig.LINGER_MS_CONFIG) && !props.containsKey(linger)) {
            props.put(linger, PRODUCER_LINGER_MS);
        }
        // A fetch that finds nothing waits at the broker for fetch.max.wait.ms (default 500 ms): the changelogs of a
        // new task are read to their end, and a task that has restored has its input fetched, at most that much
        // later. Shorter waits only add empty fetches while a partition is idle; data still returns at once.
        // A wait the client properties set (for every consumer, or for all of Streams' consumers) stays.
        String fetchWait = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG;
        if (!props.containsKey(fetchWait) && !props.containsKey(StreamsConfig.consumerPrefix(fetchWait))) {
            props.putIfAbsent(StreamsConfig.mainConsumerPrefix(fetchWait), IDLE_FETCH_WAIT_MS);
            props.putIfAbsent(StreamsConfig.restoreConsumerPrefix(fetchWait), IDLE_FETCH_WAIT_MS);
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
