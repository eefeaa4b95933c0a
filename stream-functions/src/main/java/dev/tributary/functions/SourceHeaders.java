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

    record Source(String topic, int partition, long offset) {}

    private SourceHeaders() {}

    static void add(Headers headers, String topic, int partition, long offset) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        headers.remove(SOURCE);
        headers.add(
                SOURCE,
                ByteBuffer.allocate(12 + name.length)
                        .putInt(partition)
                        .putLong(offset)
                        .put(name)
                        .array());
    }

    static Optional<Source> source(Headers headers) {
        Header header = headers.lastHeader(SOURCE);
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
