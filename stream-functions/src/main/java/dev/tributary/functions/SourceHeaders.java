package dev.tributary.functions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a training event entered Tributary (input topic, partition, offset), carried in a header
 * across the internal re-keying topic so every version can name the offsets it learned from.
 */
final class SourceHeaders {
    static final String SOURCE = "tributary.source";

    /**
     * The header itself: a record forwarded within the task carries it as it is, read back without
     * decoding; its bytes are made only if the header is written to a topic.
     */
    record Source(String topic, int partition, long offset) implements Header {
        @Override
        public String key() {
            return SOURCE;
        }

        @Override
        public byte[] value() {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(12 + name.length)
                    .putInt(partition)
                    .putLong(offset)
                    .put(name)
                    .array();
        }
    }

    private SourceHeaders() {}

    static void add(Headers headers, String topic, int partition, long offset) {
        headers.remove(SOURCE);
        headers.add(new Source(topic, partition, offset));
    }

    static Optional<Source> source(Headers headers) {
        Header header = headers.lastHeader(SOURCE);
        if (header instanceof Source source) {
            return Optional.of(source);
        }
        if (header == null || header.value() == null || header.value().length < 12) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(header.value());
        int partition = b.getInt();
        long offset = b.getLong();
        return Optional.of(new Source(
                new String(header.value(), 12, header.value().length - 12, StandardCharsets.UTF_8), partition, offset));
    }
}
