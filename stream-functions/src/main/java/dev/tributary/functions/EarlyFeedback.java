package dev.tributary.functions;

import java.nio.ByteBuffer;

/**
 * Feedback that came before its event was scored (the event behind in a backlog, or the two
 * producers' clocks apart, so that the feedback's timestamp sorts first), held in the pending-labels
 * store for the model's label wait: the event joins it when it is scored; else it becomes an {@code
 * UNMATCHED_FEEDBACK} dead letter of the original record when the wait ends.
 *
 * <p>Layout, big-endian: when the hold ends, the label (float64), when it came (int64), the record's
 * partition (int32) and offset (int64), the UTF-8 lengths (int16) and bytes of its topic, then the
 * length (int32, -1 for none) and bytes of its key, then its value.
 */
record EarlyFeedback(
        long expiresAt,
        double label,
        long receivedAt,
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value) {

    byte[] toBytes() {
        StoredSource source = new StoredSource(topic, partition, offset);
        int keyBytes = key == null ? 0 : key.length;
        ByteBuffer b = ByteBuffer.allocate(
                Long.BYTES + Double.BYTES + Long.BYTES + source.size() + Integer.BYTES + keyBytes + value.length);
        source.put(b.putLong(expiresAt).putDouble(label).putLong(receivedAt)).putInt(key == null ? -1 : key.length);
        if (key != null) {
            b.put(key);
        }
        return b.put(value).array();
    }

    static EarlyFeedback fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long expiresAt = b.getLong();
        double label = b.getDouble();
        long receivedAt = b.getLong();
        StoredSource source = StoredSource.get(b);
        int keyLength = b.getInt();
        byte[] key = keyLength < 0 ? null : new byte[keyLength];
        if (key != null) {
            b.get(key);
        }
        return new EarlyFeedback(
                expiresAt,
                label,
                receivedAt,
                source.topic(),
                source.partition(),
                source.offset(),
                key,
                StoredSource.rest(b));
    }
}
