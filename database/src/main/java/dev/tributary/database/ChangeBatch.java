package dev.tributary.database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The committed database transactions gathered for the next Kafka transaction: written when it
 * holds {@code batchSize} records, or once nothing more is pending and {@code batchWindow} has passed
 * since its first transaction. A database transaction is never split.
 *
 * <pre>{@code
 * ChangeBatch batch = new ChangeBatch(100, Duration.ofMillis(500));
 * batch.add(transaction, System.nanoTime());
 * if (batch.full()) send(batch.drain());
 * // when the stream has nothing pending:
 * if (batch.due(System.nanoTime())) send(batch.drain());
 * }</pre>
 */
final class ChangeBatch {
    private final int batchSize;
    private final long windowNanos;
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private long firstAddedAt;

    ChangeBatch(int batchSize, Duration batchWindow) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        this.batchSize = batchSize;
        this.windowNanos = batchWindow.toNanos();
    }

    /** Adds one committed database transaction's records, at {@code nowNanos} ({@link System#nanoTime}). */
    void add(List<ProducerRecord<byte[], byte[]>> transaction, long nowNanos) {
        if (records.isEmpty()) {
            firstAddedAt = nowNanos;
        }
        records.addAll(transaction);
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /** Whether the batch is to be written now, whatever else comes. */
    boolean full() {
        return records.size() >= batchSize;
    }

    /** Whether the batch is to be written now that nothing more is pending. */
    boolean due(long nowNanos) {
        return !records.isEmpty() && (full() || nowNanos - firstAddedAt >= windowNanos);
    }

    /** The records in the order they were added; the batch is empty afterwards. */
    List<ProducerRecord<byte[], byte[]>> drain() {
        List<ProducerRecord<byte[], byte[]>> out = List.copyOf(records);
        records.clear();
        return out;
    }
}
