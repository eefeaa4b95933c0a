package dev.tributary.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka client configuration shared by every Tributary client. */
public final class Clients {
    /** How long any single wait on an unreachable broker may last. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Clients() {}

    /** The properties with bounded timeouts added (the user's own settings win). */
    public static Map<String, Object> bounded(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        int ms = (int) TIMEOUT.toMillis();
        props.putIfAbsent("default.api.timeout.ms", ms);
        props.putIfAbsent("request.timeout.ms", ms * 2 / 3);
        props.putIfAbsent("max.block.ms", ms);
        props.putIfAbsent("delivery.timeout.ms", ms * 2);
        return props;
    }

    /**
     * The settings an admin client takes from properties written for any client: producer- and
     * consumer-only keys are left out (the admin client would only warn about them); everything else,
     * security settings included, passes through.
     */
    static Map<String, Object> adminConfig(Map<String, Object> clientProperties, String clientIdSuffix) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.keySet()
                .removeIf(k -> !AdminClientConfig.configNames().contains(k)
                        && (ProducerConfig.configNames().contains(k)
                                || ConsumerConfig.configNames().contains(k)));
        config.put(
                AdminClientConfig.CLIENT_ID_CONFIG,
                clientProperties.getOrDefault(AdminClientConfig.CLIENT_ID_CONFIG, "tributary") + "-" + clientIdSuffix);
        return config;
    }
}
