package dev.tributary.functions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int keyBytes = key == null ? 0 : key.length;
        ByteBuffer b = ByteBuffer.allocate(3 * Long.BYTES
                + Double.BYTES
                + Integer.BYTES
                + Short.BYTES
                + t.length
                + Integer.BYTES
                + keyBytes
                + value.length);
        b.putLong(expiresAt)
                .putDouble(label)
                .putLong(receivedAt)
                .putInt(partition)
                .putLong(offset)
                .putShort((short) t.length)
                .put(t)
                .putInt(key == null ? -1 : key.length);
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
        int partition = b.getInt();
        long offset = b.getLong();
        byte[] topic = new byte[b.getShort()];
        b.get(topic);
        int keyLength = b.getInt();
        byte[] key = keyLength < 0 ? null : new byte[keyLength];
        if (key != null) {
            b.get(key);
        }
        byte[] value = new byte[b.remaining()];
        b.get(value);
        return new EarlyFeedback(
                expiresAt, label, receivedAt, new String(topic, StandardCharsets.UTF_8), partition, offset, key, value);
    }
}
