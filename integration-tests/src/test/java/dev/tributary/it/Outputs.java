package dev.tributary.it;

import dev.tributary.functions.DeadLetters;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the functions wrote, as a {@code read_committed} consumer sees it: every prediction and
 * every dead letter, read until the expected counts arrive (or a timeout), then for a quiet period
 * more, so that a duplicate arriving late is counted too. Used by the reliability tests, which
 * prove their promises by counting.
 */
final class Outputs implements AutoCloseable {
    final List<Prediction> predictions = new ArrayList<>();
    final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final AvroCodec<Prediction> codec = TributarySerdes.prediction().codec();

    Outputs(Map<String, Object> client, Topics topics, String group) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("group.id", group);
        props.put("auto.offset.reset", "earliest");
        props.put("max.partition.fetch.bytes", 2 << 20);
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.predictions(), topics.deadLetters()));
    }

    /** Reads until {@code done} holds or the timeout passes, then for {@code quiet} more. */
    Outputs readUntil(BooleanSupplier done, Duration timeout, Duration quiet) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(500));
        }
        long quietEnd = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietEnd) {
            poll(Duration.ofMillis(200));
        }
        return this;
    }

    Outputs readUntil(int predictionCount, int deadLetterCount, Duration timeout, Duration quiet) {
        return readUntil(
                () -> predictions.size() >= predictionCount && deadLetters.size() >= deadLetterCount, timeout, quiet);
    }

    private void poll(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            if (r.topic().equals(topics.predictions())) {
                predictions.add(codec.decode(r.value()));
            } else {
                deadLetters.add(r);
            }
        }
    }

    /** Event id → how many predictions it got. */
    Map<String, Integer> predictionsPerEvent() {
        Map<String, Integer> counts = new HashMap<>();
        predictions.forEach(p -> counts.merge(p.getEventId(), 1, Integer::sum));
        return counts;
    }

    /** Predictions beyond the first for any event. */
    long duplicates() {
        return predictionsPerEvent().values().stream()
                .filter(n -> n > 1)
                .mapToLong(n -> n - 1)
                .sum();
    }

    /** The keys of the dead letters, each checked to carry a reason. */
    List<String> deadLetterKeys() {
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            String reason = DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE);
            if (reason == null || reason.isBlank()) {
                throw new AssertionError(
                        "dead letter " + r.topic() + "-" + r.partition() + "@" + r.offset() + " has no reason");
            }
            keys.add(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** Valid events without a prediction. */
    long lost(Collection<String> validIds) {
        Map<String, Integer> perEvent = predictionsPerEvent();
        return validIds.stream().filter(id -> !perEvent.containsKey(id)).count();
    }

    /**
     * Each model's latest examplesSeen once it has learned its labelled events (or the timeout), read
     * after a settling pause: a version that learned some examples twice would show up by then.
     */
    static Map<String, Long> settledExamplesSeen(
            ModelRegistry registry, Map<String, Integer> labelled, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, Integer> model : labelled.entrySet()) {
            while (latestExamples(registry, model.getKey()) < model.getValue() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        Thread.sleep(1500);
        Map<String, Long> seen = new HashMap<>();
        labelled.keySet().forEach(m -> seen.put(m, latestExamples(registry, m)));
        return seen;
    }

    private static long latestExamples(ModelRegistry registry, String model) {
        return registry.latest(model).map(ModelVersion::getExamplesSeen).orElse(0L);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
