package dev.tributary.schema.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The examples of one model that one score task gathered between two commits, as one record of the
 * train-by-model topic: the train side reads one record per model per commit instead of one per
 * labelled event.
 *
 * <p>Layout, version 1: {@code 'T' 'B'}, the version byte {@code 1}, then each example in {@link
 * WireFormats#ORDER}: its record timestamp (int64), where it entered (input partition int32, offset
 * int64, topic length int16 — {@code -1} for none — and the topic in UTF-8), then the example's
 * length (int32) and its bytes (a {@link FeaturizedExample}, or any value the train function reads).
 *
 * <pre>{@code
 * ExampleBatch.Builder batch = new ExampleBatch.Builder();
 * batch.add(timestamp, "events", 3, 1207L, FeaturizedExample.encode(id, label, numeric, x));
 * byte[] value = batch.toBytes();
 * for (ExampleBatch.Reader r = ExampleBatch.reader(value); r.next(); ) { ... r.example() ... }
 * }</pre>
 */
public final class ExampleBatch {
    public static final byte VERSION = 1;
    private static final byte MAGIC_0 = 'T';
    private static final byte MAGIC_1 = 'B';
    private static final int HEADER_BYTES = 3;
    private static final int ENTRY_FIXED_BYTES = Long.BYTES + Integer.BYTES + Long.BYTES + Short.BYTES + Integer.BYTES;

    private ExampleBatch() {}

    /** One example of a batch; {@code topic} is null when the example carried no source. */
    public record Entry(long timestamp, String topic, int partition, long offset, byte[] example) {}

    /** Whether {@code value} is a batch, of any version (else it is one example, as earlier releases wrote). */
    public static boolean matches(byte[] value) {
        return value != null && value.length >= HEADER_BYTES && value[0] == MAGIC_0 && value[1] == MAGIC_1;
    }

    /** The examples of a batch, in the order they were added. */
    public static List<Entry> read(byte[] value) {
        List<Entry> entries = new ArrayList<>();
        for (Reader r = reader(value); r.next(); ) {
            entries.add(new Entry(r.timestamp(), r.topic(), r.partition(), r.offset(), r.example()));
        }
        return entries;
    }

    /** Reads the examples of a batch one at a time, in the order they were added, without a list of them. */
    public static Reader reader(byte[] value) {
        if (!matches(value)) {
            throw new IllegalArgumentException("not a batch of examples (" + value.length + " bytes)");
        }
        int version = value[2] & 0xFF;
        if (version > VERSION) {
            throw WireFormats.unknownVersion("batch of examples", version, VERSION);
        }
        return new Reader(value);
    }

    /**
     * A cursor over a batch: each {@link #next} moves to the next example, whose fields the other
     * methods give. The topic's name is decoded once for a run of examples from the same topic.
     */
    public static final class Reader {
        private final byte[] value;
        private final ByteBuffer b;
        private int read;
        private long timestamp;
        private int partition;
        private long offset;
        private String topic;
        private byte[] topicBytes;
        private byte[] example;

        private Reader(byte[] value) {
            this.value = value;
            this.b = ByteBuffer.wrap(value).order(WireFormats.ORDER);
            b.position(HEADER_BYTES);
        }

        /** Moves to the next example; false after the last one. */
        public boolean next() {
            if (!b.hasRemaining()) {
                return false;
            }
            if (b.remaining() < ENTRY_FIXED_BYTES) {
                throw truncated(value, read);
            }
            timestamp = b.getLong();
            partition = b.getInt();
            offset = b.getLong();
            int topicLength = b.getShort();
            if (topicLength < -1 || topicLength > b.remaining()) {
                throw truncated(value, read);
            }
            if (topicLength == -1) {
                topic = null;
                topicBytes = null;
            } else if (topicBytes == null || !sameBytes(b, topicBytes, topicLength)) {
                topicBytes = new byte[topicLength];
                b.get(topicBytes);
                topic = new String(topicBytes, StandardCharsets.UTF_8);
            } else {
                b.position(b.position() + topicLength); // the same topic as the entry before: most are
            }
            if (b.remaining() < Integer.BYTES) {
                throw truncated(value, read);
            }
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw truncated(value, read);
            }
            example = new byte[length];
            b.get(example);
            read++;
            return true;
        }

        public long timestamp() {
            return timestamp;
        }

        /** The input topic the example entered from, or null when it carried no source. */
        public String topic() {
            return topic;
        }

        public int partition() {
            return partition;
        }

        public long offset() {
            return offset;
        }

        /** The example's bytes (a copy of them, the caller's to keep). */
        public byte[] example() {
            return example;
        }
    }

    private static boolean sameBytes(ByteBuffer b, byte[] bytes, int length) {
        if (bytes.length != length) {
            return false;
        }
        int at = b.position();
        for (int i = 0; i < length; i++) {
            if (b.get(at + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException truncated(byte[] value, int read) {
        return new IllegalArgumentException("a batch of examples of " + value.length + " bytes is cut short after "
                + read + " examples: it was not written by Tributary or was damaged");
    }

    /** A batch being gathered; {@link #clear} starts the next one in the same buffer. */
    public static final class Builder {
        private byte[] buffer = new byte[4096];
        private ByteBuffer b = ByteBuffer.wrap(buffer).order(WireFormats.ORDER);
        private int count;
        private long maxTimestamp = Long.MIN_VALUE;
        private String lastTopic;
        private byte[] lastTopicBytes;

        public Builder() {
            clear();
        }

        /** Adds an example; {@code topic} may be null (no source). */
        public Builder add(long timestamp, String topic, int partition, long offset, byte[] example) {
            byte[] topicBytes = topicBytes(topic);
            if (topicBytes != null && topicBytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("a topic name of " + topicBytes.length + " bytes is too long");
            }
            ensure(ENTRY_FIXED_BYTES + (topicBytes == null ? 0 : topicBytes.length) + example.length);
            b.putLong(timestamp).putInt(partition).putLong(offset);
            if (topicBytes == null) {
                b.putShort((short) -1);
            } else {
                b.putShort((short) topicBytes.length).put(topicBytes);
            }
            b.putInt(example.length).put(example);
            count++;
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            return this;
        }

        /** How many examples were added since the last {@link #clear}. */
        public int count() {
            return count;
        }

        /** The size of the batch so far, in bytes. */
        public int bytes() {
            return b.position();
        }

        /** The latest timestamp of the examples added (the batch record's timestamp). */
        public long maxTimestamp() {
            return maxTimestamp;
        }

        /** The batch as a record value. */
        public byte[] toBytes() {
            return Arrays.copyOf(buffer, b.position());
        }

        /** Empties the batch, keeping its buffer. */
        public void clear() {
            b.clear();
            b.put(MAGIC_0).put(MAGIC_1).put(VERSION);
            count = 0;
            maxTimestamp = Long.MIN_VALUE;
        }

        private byte[] topicBytes(String topic) {
            if (topic == null) {
                return null;
            }
            if (!topic.equals(lastTopic)) {
                lastTopic = topic;
                lastTopicBytes = topic.getBytes(StandardCharsets.UTF_8);
            }
            return lastTopicBytes;
        }

        private void ensure(int more) {
            if (b.remaining() >= more) {
                return;
            }
            int position = b.position();
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
            b = ByteBuffer.wrap(buffer).order(WireFormats.ORDER);
            b.position(position);
        }
    }
}
