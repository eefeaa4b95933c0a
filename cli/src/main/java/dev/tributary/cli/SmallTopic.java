package dev.tributary.cli;

import dev.tributary.schema.serde.DecodeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a small topic (alerts, comparisons) from its beginning up to its end at the time of reading,
 * committed records only, keeping the values whose key passes a test and that decode. A missing topic
 * (a cluster the functions have not run on yet) holds nothing.
 *
 * <pre>{@code
 * List<DriftAlert> alerts = SmallTopic.read(props, "tributary.alerts", key -> ..., AvroCodec.of(DriftAlert.class)::decode);
 * }</pre>
 */
final class SmallTopic {
    private SmallTopic() {}

    static <T> List<T> read(
            Map<String, Object> clientProperties, String topic, Predicate<byte[]> key, Function<byte[], T> decode) {
        List<T> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.committedReader(clientProperties, "tributary-cli-read")) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Kafka.TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return values;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Kafka.TIMEOUT);
            long deadline = System.nanoTime() + Kafka.TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, Kafka.TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new CliException("reading " + topic + " did not reach its end within "
                            + Kafka.TIMEOUT.toSeconds() + " s; is the broker still there?");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
                            && r.key() != null
                            && r.value() != null
                            && key.test(r.key())) {
                        try {
                            values.add(decode.apply(r.value()));
                        } catch (DecodeException e) {
                            // a record this release cannot read: skipped
                        }
                    }
                }
            }
        }
        return values;
    }
}
