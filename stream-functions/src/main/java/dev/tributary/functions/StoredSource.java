package dev.tributary.functions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where a record of the pending-labels store came from, as its entries ({@link PendingLabel}, {@link
 * EarlyFeedback}) lay it out, big-endian: the partition (int32), the offset (int64), then the
 * topic's UTF-8 length (int16) and bytes.
 */
record StoredSource(String topic, int partition, long offset) {
    /** The bytes the source takes. */
    int size() {
        return Integer.BYTES + Long.BYTES + Short.BYTES + utf8().length;
    }

    ByteBuffer put(ByteBuffer b) {
        byte[] t = utf8();
        return b.putInt(partition).putLong(offset).putShort((short) t.length).put(t);
    }

    static StoredSource get(ByteBuffer b) {
        int partition = b.getInt();
        long offset = b.getLong();
        byte[] topic = new byte[b.getShort()];
        b.get(topic);
        return new StoredSource(new String(topic, StandardCharsets.UTF_8), partition, offset);
    }

    /** The rest of {@code b}: an entry's last field. */
    static byte[] rest(ByteBuffer b) {
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        return rest;
    }

    private byte[] utf8() {
        return topic.getBytes(StandardCharsets.UTF_8);
    }
}
