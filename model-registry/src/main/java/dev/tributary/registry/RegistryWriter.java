package dev.tributary.registry;

import dev.tributary.model.ModelSpecs;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import dev.tributary.schema.serde.WriterSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry client's way to the broker: an idempotent producer ({@code acks=all}) and an admin
 * client, the registry topic's creation and checks, and the bounded waits that turn a slow or absent
 * broker into a {@link RegistryUnavailableException} naming it. {@link ModelRegistry} decides what to
 * write; this class writes it.
 */
final class RegistryWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWriter.class);

    private final String topic;
    private final Duration timeout;
    private final String bootstrap;
    private final Map<String, Object> clientProperties;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroCodec<RegistryRecord> codec =
            TributarySerdes.registryRecord().codec();
    private Admin admin;
    private volatile boolean topicEnsured;
    private volatile boolean closed;

    RegistryWriter(Map<String, Object> clientProperties, String topic, Duration timeout) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        this.clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
        Object servers = clientProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null) {
            throw new IllegalArgumentException("the client properties have no bootstrap.servers");
        }
        this.bootstrap = String.valueOf(servers);
        try {
            this.producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new RegistryUnavailableException(
                    "cannot connect to the Kafka broker at " + bootstrap + ": " + rootMessage(e), e);
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.REGISTRY_MAX_MESSAGE_BYTES);
        // One record may be as large as the registry allows; the pool allocates on demand.
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.REGISTRY_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) ms);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        config.put(
                ProducerConfig.CLIENT_ID_CONFIG,
                config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "tributary") + "-registry-producer-"
                        + System.identityHashCode(this));
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }

    String bootstrap() {
        return bootstrap;
    }

    /**
     * Creates the compacted registry topic if it is missing (idempotent). Warns if an existing topic
     * is not compacted or has a lower {@code max.message.bytes} than the registry needs.
     */
    synchronized void ensureTopic() {
        checkOpen();
        Admin a = admin();
        String schemas = Topics.schemasOf(topic);
        try {
            Topics.create(a, List.of(Topics.registryTopic(topic), Topics.schemasTopic(schemas)));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                    || e.getCause() instanceof TimeoutException) {
                throw unreachable("create the registry topic " + topic, e.getCause());
            }
            throw e;
        }
        checkTopicConfig(a);
        // Readers of an older release learn this release's record schema before its first record.
        ProducerRecord<byte[], byte[]> schema = WriterSchemas.registration(schemas, RegistryRecord.getClassSchema());
        await(producer.send(schema), schemas, System.nanoTime() + timeout.toNanos());
        topicEnsured = true;
    }

    private void checkTopicConfig(Admin a) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = a.describeConfigs(List.of(resource))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            ConfigEntry policy = config.get("cleanup.policy");
            ConfigEntry maxBytes = config.get("max.message.bytes");
            if (policy != null && !policy.value().contains("compact")) {
                LOG.warn(
                        "registry topic {} has cleanup.policy={}: old model versions and specs will be deleted by retention; "
                                + "it should be compacted (recreate it or set cleanup.policy=compact)",
                        topic,
                        policy.value());
            }
            if (maxBytes != null && Long.parseLong(maxBytes.value()) < Topics.REGISTRY_MAX_MESSAGE_BYTES) {
                LOG.warn(
                        "registry topic {} has max.message.bytes={}, below the {} bytes large models need; "
                                + "set max.message.bytes={} on it",
                        topic,
                        maxBytes.value(),
                        Topics.REGISTRY_MAX_MESSAGE_BYTES,
                        Topics.REGISTRY_MAX_MESSAGE_BYTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("cannot check the configuration of registry topic {}", topic, e);
        }
    }

    void ensureTopicOnce() {
        if (!topicEnsured) {
            ensureTopic();
        }
    }

    static void checkSize(String key, byte[] value, String what) {
        long size = (long) value.length + key.length();
        if (size > ModelSpecs.REGISTRY_RECORD_LIMIT) {
            throw new IllegalArgumentException(String.format(
                    "%s is %,d bytes encoded, over the registry's limit of %,d bytes per record "
                            + "(Topics.REGISTRY_MAX_MESSAGE_BYTES); lower the model's hashBits (each bit less halves the hashed weights)",
                    what, size, (long) Topics.REGISTRY_MAX_MESSAGE_BYTES));
        }
    }

    byte[] encode(Object entry) {
        return codec.encode(RegistryRecord.newBuilder().setEntry(entry).build());
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this ModelRegistry client is closed");
        }
    }

    Future<RecordMetadata> send(String key, byte[] value) {
        checkOpen();
        try {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable("write " + key, e);
        } catch (KafkaException e) {
            throw new IllegalStateException("could not publish " + key + " to " + topic + ": " + rootMessage(e), e);
        }
    }

    void sendAll(List<String> tombstoneKeys) {
        if (tombstoneKeys.isEmpty()) {
            return;
        }
        ensureTopicOnce();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String key : tombstoneKeys) {
            sent.add(send(key, null));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < sent.size(); i++) {
            await(sent.get(i), tombstoneKeys.get(i), deadline);
        }
    }

    void await(Future<RecordMetadata> sent, String key, long deadlineNanos) {
        try {
            sent.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw unreachable("write " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + key + " to " + topic, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable("write " + key, cause);
            }
            if (cause instanceof RecordTooLargeException) {
                throw new IllegalArgumentException(
                        "the broker refused " + key + " as too large: " + cause.getMessage()
                                + "; the registry topic " + topic + " needs max.message.bytes="
                                + Topics.REGISTRY_MAX_MESSAGE_BYTES
                                + " (see Topics.registryTopic), or lower the model's hashBits",
                        cause);
            }
            throw new IllegalStateException(
                    "could not publish " + key + " to " + topic + ": " + rootMessage(cause), cause);
        }
    }

    RegistryUnavailableException unreachable(String action, Throwable cause) {
        return new RegistryUnavailableException(
                "cannot " + action + ": the Kafka broker at " + bootstrap + " could not be reached within " + seconds()
                        + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"),
                cause);
    }

    String seconds() {
        long ms = timeout.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config =
                    Clients.adminConfig(clientProperties, "registry-admin-" + System.identityHashCode(this));
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            try {
                admin = Admin.create(config);
            } catch (KafkaException e) {
                throw new RegistryUnavailableException(
                        "cannot connect to the Kafka broker at " + bootstrap + ": " + rootMessage(e), e);
            }
        }
        return admin;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }

    /** Closes the producer and the admin client. */
    @Override
    public void close() {
        closed = true;
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing the registry producer", e);
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }
}
