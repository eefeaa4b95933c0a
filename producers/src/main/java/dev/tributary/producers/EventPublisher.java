package dev.tributary.producers;

import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.Event;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.WriterSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes events to a trigger topic, keyed by event id, as Avro single-object encoding (or raw
 * bytes, such as JSON), optionally at a fixed rate.
 *
 * <pre>{@code
 * try (EventPublisher out = new EventPublisher(Map.of("bootstrap.servers", "127.0.0.1:9092"), "tributary.events", 0)) {
 *   out.send(event);
 * }
 * }</pre>
 */
public final class EventPublisher implements AutoCloseable {
    static {
        AvroTrust.install();
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AvroCodec<Event> codec = AvroCodec.of(Event.class);
    private final long nanosPerEvent;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long nextSendAt = System.nanoTime();
    private long sent;

    /** @param ratePerSecond events per second, or 0 for as fast as the broker takes them */
    public EventPublisher(Map<String, Object> clientProperties, String topic, double ratePerSecond) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        // At a modest rate a batch does not fill: the linger is then what every event waits before it is sent.
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.nanosPerEvent = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
    }

    /**
     * Registers the Event schema this publisher writes on the schemas topic (waits for the broker), so
     * that readers of an older release can decode its events.
     */
    public EventPublisher registerSchema(String schemasTopic) {
        WriterSchemas.register(producer, schemasTopic, Event.getClassSchema());
        return this;
    }

    /** For a publisher of another record over this one (feedback), to register its writer schema. */
    KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    public void send(Event event) {
        sendRaw(event.getId().getBytes(StandardCharsets.UTF_8), codec.encode(event));
    }

    /** Sends a value as it is: the functions decode JSON and Avro alike, and dead-letter the rest. */
    public void sendRaw(byte[] key, byte[] value) {
        Exception earlier = failure.get();
        if (earlier != null) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + earlier.getMessage(), earlier);
        }
        pace();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
        sent++;
    }

    private void pace() {
        if (nanosPerEvent == 0) {
            return;
        }
        long wait = nextSendAt - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nextSendAt = Math.max(nextSendAt, System.nanoTime() - 1_000_000_000L) + nanosPerEvent;
    }

    public long sent() {
        return sent;
    }

    /** Waits until every event sent so far is acknowledged; throws if any failed. */
    public void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
