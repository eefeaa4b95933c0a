package dev.tributary.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far an application is through the preloaded input, from its committed offsets ({@code
 * Admin.listConsumerGroupOffsets}): the input events committed, and whether it is done — the
 * committed offsets at the input's end offsets on every partition and, for a topology with
 * internal source topics (the train function's repartition topic), at their end offsets too
 * (read_committed).
 */
final class CommittedProgress {
    /** @param consumed input events committed by the score side */
    record Snapshot(long consumed, boolean done) {}

    private final Admin admin;
    private final String applicationId;
    private final Map<TopicPartition, Long> inputEnd;
    private final List<String> internalSourceTopics;
    private final long total;
    private Map<TopicPartition, Long> internalPartitions;

    CommittedProgress(
            Admin admin, String applicationId, Map<TopicPartition, Long> inputEnd, List<String> internalSourceTopics) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.inputEnd = Map.copyOf(inputEnd);
        this.internalSourceTopics = List.copyOf(internalSourceTopics);
        this.total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
    }

    long total() {
        return total;
    }

    Snapshot poll() {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, applicationId);
        long consumed = 0;
        for (Map.Entry<TopicPartition, Long> e : inputEnd.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            consumed += Math.min(c == null ? 0 : c.offset(), e.getValue());
        }
        boolean done = consumed >= total;
        if (internalSourceTopics.isEmpty()) {
            return new Snapshot(consumed, done);
        }
        // The internal topic carries one batch of examples per model per commit, so its offsets do not
        // count events: a partial phase counts the events scored (the train side follows within a commit
        // or two), and the phase is done when the train side has also committed everything written to it.
        if (done) {
            if (internalPartitions == null) {
                internalPartitions = partitions(admin, internalSourceTopics);
            }
            done = caughtUp(committed);
        }
        return new Snapshot(done ? total : consumed, done);
    }

    static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String groupId) {
        try {
            return admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read the committed offsets of " + groupId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every partition of the topics, with 0 for an end offset not yet read. */
    private static Map<TopicPartition, Long> partitions(Admin admin, List<String> topics) {
        try {
            Map<TopicPartition, Long> partitions = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics)
                    .allTopicNames()
                    .get(15, TimeUnit.SECONDS)
                    .values()) {
                d.partitions().forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()), 0L));
            }
            return partitions;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private boolean caughtUp(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> ends =
                ThroughputPhase.endOffsets(admin, internalPartitions.keySet(), IsolationLevel.READ_COMMITTED);
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if ((c == null ? 0 : c.offset()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
