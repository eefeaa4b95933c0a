package dev.tributary.schema.serde;

import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer schemas of Tributary's Avro records, shared through the compacted schemas topic
 * ({@code Topics.schemas()}): key {@code RecordName/fingerprint}, value the schema's JSON as plain
 * text, so that a reader of any release can read it. A writer registers its schema before its first
 * record; every reader that follows the topic (the registry follower does) teaches its decoders
 * each compatible schema, so records written by a newer release — a field added with a default, a
 * field removed that has a default — decode in an older one during a rolling upgrade.
 *
 * <pre>{@code
 * WriterSchemas.register(Map.of("bootstrap.servers", bootstrap), "tributary.schemas", Event.getClassSchema());
 * }</pre>
 *
 * <p>Only the records listed here are learned; a schema is parsed as data, never used to pick a class.
 */
public final class WriterSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(WriterSchemas.class);
    /** A schema larger than this is not a schema of ours: skipped. */
    static final int MAX_SCHEMA_BYTES = 1 << 20;

    /** The codecs that learn writer schemas, by record full name. */
    private static final Map<String, AvroCodec<?>> CODECS = Map.of(
            Event.getClassSchema().getFullName(), AvroCodec.of(Event.class),
            Feedback.getClassSchema().getFullName(), AvroCodec.of(Feedback.class),
            Prediction.getClassSchema().getFullName(), AvroCodec.of(Prediction.class),
            RegistryRecord.getClassSchema().getFullName(), AvroCodec.of(RegistryRecord.class),
            DriftAlert.getClassSchema().getFullName(), AvroCodec.of(DriftAlert.class));

    private WriterSchemas() {}

    /** The records whose writer schemas can be registered, by full name. */
    public static List<String> recordNames() {
        return CODECS.keySet().stream().sorted().toList();
    }

    /** The key of a schema in the topic: {@code dev.tributary.schema.Event/<fingerprint hex>}. */
    public static String key(Schema schema) {
        return schema.getFullName() + "/" + AvroCodec.hex(AvroCodec.fingerprint(schema));
    }

    /**
     * Why records written with {@code schema} could not be read by this release, if they could not:
     * not one of Tributary's records, or a change no reader can resolve (a field removed that has
     * no default, a type changed).
     */
    public static Optional<String> problem(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD || !CODECS.containsKey(schema.getFullName())) {
            return Optional.of((schema.getType() == Schema.Type.RECORD
                            ? "record " + schema.getFullName()
                            : "a " + schema.getType().getName() + " schema")
                    + " is not one of Tributary's records " + recordNames());
        }
        return CODECS.get(schema.getFullName()).incompatibility(schema);
    }

    /**
     * Publishes a writer schema (idempotent: the topic is compacted by key) and teaches this
     * process's decoders. Waits for the broker's acknowledgement.
     *
     * @throws IllegalArgumentException if {@link #problem} finds one
     * @throws IllegalStateException if the broker does not acknowledge within 30 s
     */
    public static void register(Map<String, Object> clientProperties, String topic, Schema... schemas) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tributary-schemas");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            register(producer, topic, schemas);
        }
    }

    /**
     * Publishes writer schemas with a producer the writer already has, waiting for each
     * acknowledgement (30 s at most), and teaches this process's decoders.
     *
     * @throws IllegalArgumentException if {@link #problem} finds one (nothing is sent)
     * @throws IllegalStateException if the broker does not acknowledge
     */
    public static void register(Producer<byte[], byte[]> producer, String topic, Schema... schemas) {
        List<ProducerRecord<byte[], byte[]>> registrations = java.util.Arrays.stream(schemas)
                .map(schema -> registration(topic, schema))
                .toList();
        try {
            for (ProducerRecord<byte[], byte[]> registration : registrations) {
                producer.send(registration).get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering schemas on " + topic, e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot register schemas on topic " + topic + ": " + cause.getMessage(), cause);
        }
        for (Schema schema : schemas) {
            learn(schema);
        }
    }

    /**
     * The record that registers a schema, for a writer that sends it with a producer of its own (and
     * then calls {@link #learn}).
     *
     * @throws IllegalArgumentException if {@link #problem} finds one
     */
    public static ProducerRecord<byte[], byte[]> registration(String topic, Schema schema) {
        problem(schema).ifPresent(p -> {
            throw new IllegalArgumentException("schema " + key(schema) + " cannot be registered: " + p);
        });
        return new ProducerRecord<>(
                topic,
                key(schema).getBytes(StandardCharsets.UTF_8),
                schema.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Teaches this process's decoder of that record the schema; returns why not, if it cannot. */
    public static Optional<String> learn(Schema schema) {
        AvroCodec<?> codec = CODECS.get(schema.getFullName());
        return codec == null ? problem(schema) : codec.addWriterSchema(schema);
    }

    /**
     * A schema as the schemas topic (or a schema file) holds it: JSON text of at most
     * {@value #MAX_SCHEMA_BYTES} bytes.
     *
     * @throws IllegalArgumentException if it is larger, or not an Avro schema (the message reads after
     *     "the value is")
     */
    public static Schema parse(byte[] json) {
        if (json.length > MAX_SCHEMA_BYTES) {
            throw new IllegalArgumentException(
                    "too large for a schema: " + json.length + " bytes, over the limit of " + MAX_SCHEMA_BYTES);
        }
        try {
            return new Schema.Parser().parse(new String(json, StandardCharsets.UTF_8));
        } catch (AvroRuntimeException | StackOverflowError e) { // SchemaParseException among others
            throw new IllegalArgumentException("not an Avro schema: " + e.getMessage());
        }
    }

    /**
     * Applies one record of the schemas topic: teaches this process's decoders its schema, or logs
     * why not. A follower of the topic calls it for each record.
     *
     * @throws IllegalArgumentException if the value is not an Avro schema
     */
    public static void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: the decoders keep what they learned
        }
        Schema schema = parse(record.value());
        learn(schema)
                .ifPresent(problem ->
                        LOG.warn("writer schema {} on {} is not used: {}", key(schema), record.topic(), problem));
    }
}
