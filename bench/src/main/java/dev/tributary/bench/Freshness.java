package dev.tributary.bench;

import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.AvroCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How stale the version that scored an event was: the labelled examples of its model published
 * before the event that the version had not learnt, {@code max(0, n - 1 - examplesSeen)} for the
 * {@code n}-th event of the bench's stream (ids {@code MODEL-SEED-n}, every event labelled) scored by a
 * version that had learnt {@code examplesSeen} examples. It counts examples, not which ones: the train
 * function learns the partitions' examples interleaved, not in the order they were published.
 *
 * <p>Not thread-safe: one reader records.
 */
public final class Freshness {
    /**
     * A freshness summary of one phase.
     *
     * @param phase {@code steady} (events offered at a fixed rate to a running train + score) or
     *     {@code catch-up} (the throughput phase: every event waiting when the application starts)
     * @param latency for {@code steady}, the latency of the same predictions (as the latency phase's); else null
     * @param offeredRate for {@code steady}, the events/s offered; else 0
     */
    public record Result(
            String guarantee,
            String phase,
            Percentiles.Summary examplesBehind,
            long unknownVersions,
            Percentiles.Summary latency,
            double offeredRate) {}

    private final RegistryView view;
    private final Percentiles behind = new Percentiles();
    private long unknownVersions;

    Freshness(RegistryView view) {
        this.view = view;
    }

    /** Records the prediction's freshness; one whose version the view does not know is only counted. */
    void add(Prediction p) {
        long n = sequence(p.getEventId());
        ModelVersion v = view.version(p.getModel(), p.getModelVersion()).orElse(null);
        if (n < 1 || v == null) {
            unknownVersions++;
            return;
        }
        behind.add(Math.max(0, n - 1 - v.getExamplesSeen()));
    }

    Result result(String guarantee, String phase, Percentiles.Summary latency, double offeredRate) {
        return new Result(guarantee, phase, behind.summary(), unknownVersions, latency, offeredRate);
    }

    /** The n of an event id {@code MODEL-SEED-n}; 0 if it has none. */
    static long sequence(String eventId) {
        int dash = eventId.lastIndexOf('-');
        try {
            return Long.parseLong(eventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The freshness of every prediction committed to {@code topic} (read_committed), up to its end. */
    static Result ofTopic(
            Map<String, Object> client,
            String topic,
            int partitions,
            RegistryView view,
            String guarantee,
            String phase) {
        Freshness freshness = new Freshness(view);
        readPredictions(client, topic, partitions, Long.MAX_VALUE, freshness::add);
        return freshness.result(guarantee, phase, null, 0);
    }

    /** Reads the predictions committed to {@code topic} (read_committed) from the start, up to its end or {@code limit}. */
    static void readPredictions(
            Map<String, Object> client,
            String topic,
            int partitions,
            long limit,
            java.util.function.Consumer<Prediction> each) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long read = 0;
            while (read < limit
                    && all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(codec.decode(r.value()));
                    read++;
                }
            }
        }
    }

    /** One line for the bench's progress: a freshness result's percentiles and, for the steady phase, its latency. */
    static String describe(Result f) {
        Percentiles.Summary behind = f.examplesBehind();
        return String.format(
                Locale.ROOT,
                "freshness, %s, %s: labelled examples published before the event and not in the version that scored it: "
                        + "p50 %s, p99 %s over %,d predictions (%,d of versions not known)%s",
                f.guarantee(),
                f.phase(),
                behind == null ? "-" : behind.p50(),
                behind == null ? "-" : behind.p99(),
                behind == null ? 0 : behind.samples(),
                f.unknownVersions(),
                f.latency() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; train+score at %,.0f events/s: latency p50 %d ms, p99 %d ms",
                                f.offeredRate(),
                                f.latency().p50(),
                                f.latency().p99()));
    }
}
