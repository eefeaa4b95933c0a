package dev.tributary.bench;

import dev.tributary.producers.SyntheticStream;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the bench's input once: {@code n} labelled events of one logistic-regression model, drawn
 * from a {@link SyntheticStream}, as Avro single-object encoding keyed by event id, through one
 * unthrottled producer with large batches.
 */
public final class Preloader {
    /** What the preload wrote. */
    public record Result(long events, long bytes, double seconds) {
        public double eventsPerSecond() {
            return events / Math.max(seconds, 1e-9);
        }
    }

    private Preloader() {}

    static Map<String, Object> producerProperties(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        // One request in flight per connection: with several, a new producer's pipelined batches to fresh
        // partitions could leave a partition's last batch unsent until it expired (120 s), stopping the run.
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    static Result preload(
            Map<String, Object> clientProperties,
            String topic,
            String model,
            int features,
            long n,
            long seed,
            LongConsumer progress) {
        AvroCodec<Event> codec = AvroCodec.of(Event.class);
        SyntheticStream stream =
                new SyntheticStream(model, Algorithm.LOGISTIC_REGRESSION, features, seed, Long.MAX_VALUE);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                producerProperties(clientProperties), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < n; i++) {
                Event e = stream.next();
                byte[] value = codec.encode(e);
                bytes += value.length;
                producer.send(
                        new ProducerRecord<>(topic, e.getId().getBytes(StandardCharsets.UTF_8), value), (m, ex) -> {
                            if (ex != null) {
                                failure.compareAndSet(null, ex);
                            }
                        });
                if ((i & 0xFFFF) == 0) {
                    if (failure.get() != null) {
                        break;
                    }
                    progress.accept(i);
                }
            }
            producer.flush();
            producer.close(Duration.ofSeconds(60));
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "preloading " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        return new Result(n, bytes, (System.nanoTime() - started) / 1e9);
    }
}
