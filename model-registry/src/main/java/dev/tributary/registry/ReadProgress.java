package dev.tributary.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a follower has applied its topic: the next offset to read of each assigned partition,
 * published by the follower's thread after it has applied every record before it, and awaited by
 * callers that want to see a given offset applied. Thread-safe.
 */
final class ReadProgress {
    /** Next offset to read of each assigned partition; guarded by this. */
    private Map<TopicPartition, Long> positions = Map.of();

    /** The partitions the follower reads, empty before it has found the topic. */
    synchronized List<TopicPartition> partitions() {
        return new ArrayList<>(positions.keySet());
    }

    /** Publishes the positions reached; wakes the waiters if they moved. */
    synchronized void publish(Map<TopicPartition, Long> now) {
        if (!now.equals(positions)) {
            positions = Map.copyOf(now);
            notifyAll();
        }
    }

    /** Wakes every waiter, for it to look at {@code running} again. */
    synchronized void wakeAll() {
        notifyAll();
    }

    /**
     * Waits until every partition of {@code targets} with records has been applied up to its target
     * offset. False if the deadline ({@link System#nanoTime()}) passes first or {@code running}
     * turns false.
     */
    synchronized boolean awaitReached(Map<TopicPartition, Long> targets, long deadline, BooleanSupplier running)
            throws InterruptedException {
        while (running.getAsBoolean()) {
            if (reached(targets)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return false;
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            if (t.getValue() <= 0) {
                continue;
            }
            Long at = positions.get(t.getKey());
            if (at == null || at < t.getValue()) {
                return false;
            }
        }
        return true;
    }
}
