package dev.tributary.autoscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A consumer group's lag on its input topics, as KEDA's Kafka scaler reads it: per partition, the
 * end offset a {@code read_committed} consumer would reach minus the group's committed offset (a
 * partition the group never committed counts from its earliest offset, as Kafka Streams starts
 * there), summed. A topic that does not exist yet counts 0.
 */
public final class LagProbe {
    /** The total lag, and the partitions of the first (events) topic, 0 if it does not exist. */
    public record Reading(long lag, int partitions) {}

    private final Admin admin;
    private final String group;
    private final List<String> topics;
    private final Duration timeout;

    /** {@code topics}: the events topic first, then any other input of the group (its repartition topic). */
    public LagProbe(Admin admin, String group, List<String> topics, Duration timeout) {
        this.admin = admin;
        this.group = group;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    public Reading read() throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = new ArrayList<>();
        int eventsPartitions = 0;
        for (Map.Entry<String, KafkaFuture<TopicDescription>> t :
                admin.describeTopics(topics).topicNameValues().entrySet()) {
            TopicDescription description;
            try {
                description = get(t.getValue());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    continue;
                }
                throw e;
            }
            description.partitions().forEach(p -> partitions.add(new TopicPartition(t.getKey(), p.partition())));
            if (t.getKey().equals(topics.get(0))) {
                eventsPartitions = description.partitions().size();
            }
        }
        if (partitions.isEmpty()) {
            return new Reading(0, 0);
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata())
                .forEach((tp, offset) -> {
                    if (offset != null) {
                        committed.put(tp, offset.offset());
                    }
                });
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
        List<TopicPartition> neverCommitted =
                partitions.stream().filter(tp -> !committed.containsKey(tp)).toList();
        Map<TopicPartition, Long> earliest =
                neverCommitted.isEmpty() ? Map.of() : offsets(neverCommitted, OffsetSpec.earliest());
        return new Reading(lag(ends, committed, earliest), eventsPartitions);
    }

    /** Sum over {@code ends} of end minus committed (or earliest where the group never committed), never negative. */
    static long lag(
            Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> earliest) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            Long from = committed.getOrDefault(end.getKey(), earliest.get(end.getKey()));
            total += Math.max(0, end.getValue() - (from == null ? 0 : from));
        }
        return total;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> result =
                get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
