package dev.tributary.cli;

import dev.tributary.registry.Clients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Client settings with bounded waits, and a check that the cluster answers before a command relies on it. */
public final class Kafka {
    /** How long any single wait on an unreachable broker may last. */
    public static final Duration TIMEOUT = Clients.TIMEOUT;

    private Kafka() {}

    /** Fails with one sentence unless the cluster answers within {@link #TIMEOUT}. */
    public static void requireReachable(Map<String, Object> clientProperties) {
        String bootstrap = String.valueOf(clientProperties.get("bootstrap.servers"));
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-cli-check");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        Admin admin = admin(props);
        try {
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(bootstrap);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new CliException(
                        "Kafka at " + bootstrap + " refused the credentials: " + cause.getMessage(), cause);
            }
            if (cause instanceof AuthorizationException) {
                throw new CliException("Kafka at " + bootstrap + " denied access: " + cause.getMessage(), cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(bootstrap);
            }
            throw new CliException(
                    "Kafka at " + bootstrap + " did not answer: " + Errors.oneLine(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while connecting to Kafka at " + bootstrap);
        } finally {
            // Not the default close, which waits for the pending request: a listener that is not Kafka never answers
            // it.
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }

    /**
     * A consumer of committed records only, with no group (the caller assigns partitions), that
     * creates no topic and commits nothing.
     */
    public static KafkaConsumer<byte[], byte[]> committedReader(Map<String, Object> clientProperties, String clientId) {
        Map<String, Object> props = Clients.bounded(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove("max.block.ms");
        props.remove("delivery.timeout.ms");
        try {
            return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw clientFailure(props, e);
        }
    }

    /** Every partition of {@code topic}, or a {@link CliException} saying that it does not exist. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, String bootstrap) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new CliException("topic '" + topic + "' does not exist at " + bootstrap
                    + " (the functions create Tributary's topics: start 'tributary run')");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        return partitions;
    }

    /** An admin client, with a readable error for a bad configuration. */
    public static Admin admin(Map<String, Object> props) {
        try {
            return Admin.create(props);
        } catch (ConfigException e) {
            throw badConfig(props, e);
        } catch (KafkaException e) {
            throw clientFailure(props, e);
        }
    }

    /** Why a Kafka client could not be created, in one sentence. */
    static CliException clientFailure(Map<String, Object> props, KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return badConfig(props, c);
            }
        }
        Throwable root =
                e; // the reason is at the bottom (a missing JAAS entry under "Failed to create new NetworkClient")
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CliException(
                "cannot create a Kafka client for " + props.get("bootstrap.servers") + ": "
                        + Errors.oneLine(root.getMessage() != null ? root.getMessage() : root.toString()),
                e);
    }

    static CliException badConfig(Map<String, Object> props, ConfigException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("resolvable bootstrap")) {
            return new CliException(
                    "none of the bootstrap servers '" + props.get("bootstrap.servers") + "' can be resolved", e);
        }
        return new CliException("invalid Kafka client configuration: " + Errors.oneLine(message), e);
    }

    static CliException unreachable(String bootstrap) {
        return new CliException("cannot reach Kafka at " + bootstrap + " within " + TIMEOUT.toSeconds()
                + " s; is a broker running there? ('tributary broker' starts one on " + KafkaOptions.DEFAULT_BOOTSTRAP
                + ")");
    }
}
