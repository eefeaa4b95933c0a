package dev.tributary.registry;

import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import dev.tributary.schema.serde.UnknownWriterSchemaException;
import dev.tributary.schema.serde.WriterSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps a {@link RegistryView} current with the registry topic, and this process's decoders
 * current with the writer schemas topic ({@link WriterSchemas}): two {@link TopicFollower}s. A
 * registry record written with a schema not seen yet waits for the schemas topic to catch up
 * (its writer registered the schema first), so a newer release's records are applied in order.
 *
 * <pre>{@code
 * try (RegistryFollower follower = new RegistryFollower(Map.of("bootstrap.servers", bootstrap), "tributary.models").start()) {
 *   if (follower.awaitCaughtUp(Duration.ofSeconds(5))) {
 *     follower.view().serving("fraud");
 *   }
 * }
 * }</pre>
 */
public final class RegistryFollower implements AutoCloseable {
    /** How long a record of an unknown writer schema waits for the schemas topic before it is skipped. */
    static final Duration SCHEMA_WAIT = Duration.ofSeconds(5);

    private final RegistryView view;
    private final AvroCodec<RegistryRecord> codec =
            TributarySerdes.registryRecord().codec();
    private final TopicFollower schemas;
    private final TopicFollower registry;

    /**
     * @param clientProperties Kafka client settings: {@code bootstrap.servers} and whatever else the
     *     cluster needs (security settings are passed through as they are)
     * @param topic the registry topic; its schemas topic is named after it ({@link Topics#schemas()})
     */
    public RegistryFollower(Map<String, Object> clientProperties, String topic) {
        this(clientProperties, topic, new RegistryView());
    }

    /** Feeds an existing view (for example one that a {@link ModelCache} already follows). */
    public RegistryFollower(Map<String, Object> clientProperties, String topic, RegistryView view) {
        this.view = view;
        this.schemas = new TopicFollower(clientProperties, Topics.schemasOf(topic), WriterSchemas::apply);
        this.registry = new TopicFollower(clientProperties, topic, this::apply);
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        RegistryRecord value;
        try {
            value = r.value() == null ? null : codec.decode(r.value());
        } catch (UnknownWriterSchemaException e) {
            if (!schemas.awaitCaughtUp(SCHEMA_WAIT)) {
                throw e;
            }
            value = codec.decode(r.value());
        }
        view.apply(key, value);
    }

    /** Starts reading both topics in the background; returns this. */
    public RegistryFollower start() {
        schemas.start();
        registry.start();
        return this;
    }

    public RegistryView view() {
        return view;
    }

    public String topic() {
        return registry.topic();
    }

    /** Why the follower cannot currently read (for example, the broker cannot be reached), if so. */
    public Optional<String> problem() {
        return registry.problem().or(schemas::problem);
    }

    /**
     * Waits until the view has applied every committed record that the registry topic held when this
     * was called, and the decoders every schema then in the schemas topic. True at once for a topic
     * that does not exist. False if that did not happen within {@code timeout} (see {@link #problem()})
     * or if the follower is closed. Thread-safe; costs one offsets request per topic.
     *
     * @throws IllegalStateException if {@link #start()} was not called
     */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        return schemas.awaitCaughtUp(timeout)
                && registry.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    @Override
    public void close() {
        registry.close();
        schemas.close();
    }
}
