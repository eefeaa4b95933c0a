package dev.tributary.bench;

import dev.tributary.functions.StreamsProperties;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties of every bench application: those of {@code FunctionsRunner}, plus the bench's knobs. */
final class StreamsApps {
    private StreamsApps() {}

    static Properties properties(
            Map<String, Object> clientProperties,
            String applicationId,
            Path stateDir,
            String guarantee,
            BenchSettings settings) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Topics.REGISTRY_MAX_MESSAGE_BYTES);
        props.putAll(settings.streamsOverrides());
        return props;
    }

    /**
     * {@link #properties} plus what {@code tributary run} adds for its clients ({@link
     * StreamsProperties#clientDefaults}): for every topology but the pass-through, which stays a bare
     * Kafka Streams application.
     */
    static Properties functionProperties(
            Map<String, Object> clientProperties,
            String applicationId,
            Path stateDir,
            String guarantee,
            BenchSettings settings) {
        Properties props = properties(clientProperties, applicationId, stateDir, guarantee, settings);
        StreamsProperties.clientDefaults(props);
        return props;
    }

    /** Closes an application and leaves its group, so the run's consumer groups can be deleted at once. */
    static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streams.cleanUp();
    }
}
