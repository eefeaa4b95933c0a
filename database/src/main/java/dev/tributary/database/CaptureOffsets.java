package dev.tributary.database;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where each function's capture is in its table's change log, kept in Kafka: the compacted topic
 * {@value #TOPIC}, keyed by function name, holds the commit position (LSN) of the last database
 * transaction whose changes were written, in the same Kafka transaction as those changes. A capture
 * that starts again skips every transaction at or before it, so none is written twice.
 */
public final class CaptureOffsets {
    public static final String TOPIC = "tributary.db.offsets";

    private CaptureOffsets() {}

    public static NewTopic topic() {
        return new NewTopic(TOPIC, 1, (short) -1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    public static ProducerRecord<byte[], byte[]> record(String function, long lsn) {
        return new ProducerRecord<>(TOPIC, bytes(function), bytes(Long.toString(lsn)));
    }

    /** The last position written for {@code function}, read committed, or empty if none. */
    public static Optional<Long> read(Map<String, Object> clientProperties, String function, Duration timeout) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", false);
        props.remove("group.id");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            Long lsn = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new DatabaseException("could not read " + TOPIC + " within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (function.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        lsn = r.value() == null ? null : Long.valueOf(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return Optional.ofNullable(lsn);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
