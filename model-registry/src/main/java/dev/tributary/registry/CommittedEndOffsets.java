package dev.tributary.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the broker for a topic's {@code read_committed} end offsets with an admin client of its
 * own (created on first use), so that the request never queues behind a consumer's long-polling
 * fetch. Thread-safe.
 */
final class CommittedEndOffsets implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Map<String, Object> clientProperties;
    private final String topic;
    private final BrokerReachability reachability;
    private Admin admin; // guarded by this
    private boolean closed; // guarded by this

    CommittedEndOffsets(Map<String, Object> clientProperties, String topic, BrokerReachability reachability) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.reachability = reachability;
    }

    /**
     * The end offsets of {@code partitions}, or of every partition of the topic when that is empty;
     * null if the topic does not exist.
     *
     * @param deadline when to give up, as {@link System#nanoTime()}
     */
    Map<TopicPartition, Long> of(List<TopicPartition> partitions, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Admin a = admin();
        if (partitions.isEmpty()) {
            Map<String, TopicDescription> described = getUnlessUnknown(
                    a.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(millisUntil(deadline)))
                            .allTopicNames(),
                    deadline);
            if (described == null) {
                return null;
            }
            for (TopicPartitionInfo p : described.get(topic).partitions()) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = getUnlessUnknown(
                a.listOffsets(
                                latest,
                                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(millisUntil(deadline)))
                        .all(),
                deadline);
        if (ends == null) {
            return null;
        }
        Map<TopicPartition, Long> targets = new HashMap<>();
        ends.forEach((tp, info) -> targets.put(tp, info.offset()));
        return targets;
    }

    /** The future's value, or null if the topic does not exist; either way the broker answered. */
    private <T> T getUnlessUnknown(KafkaFuture<T> future, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        T value;
        try {
            value = future.get(millisUntil(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            value = null;
        }
        reachability.reachable();
        return value;
    }

    static int millisUntil(long deadline) {
        return (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new KafkaException("the follower of " + topic + " is closed");
        }
        if (admin == null) {
            admin = Admin.create(
                    Clients.adminConfig(clientProperties, "follower-admin-" + INSTANCES.incrementAndGet()));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
