package dev.tributary.functions;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Header names of dead letters: the record itself is the original key and value, untouched. */
public final class DeadLetters {
    public static final String ERROR_CLASS = "tributary.error.class";
    public static final String ERROR_MESSAGE = "tributary.error.message";
    public static final String STAGE = "tributary.error.stage";
    public static final String SOURCE_TOPIC = "tributary.source.topic";
    public static final String SOURCE_PARTITION = "tributary.source.partition";
    public static final String SOURCE_OFFSET = "tributary.source.offset";
    /** Present for {@link Rejection#FAILED} and {@link Rejection#TIMED_OUT}: how many times the event was tried. */
    public static final String ATTEMPTS = "tributary.error.attempts";
    /** Present when the value was cut to {@link #MAX_VALUE_BYTES}: the original value's size in bytes. */
    public static final String ORIGINAL_VALUE_BYTES = "tributary.original.value.bytes";
    /**
     * The most of the original value a dead letter keeps. An input larger than the events limit
     * would otherwise be larger than the dead-letter topic accepts (the broker's default
     * {@code max.message.bytes}, 1 MiB): the write would fail and stop the function on that record.
     */
    public static final int MAX_VALUE_BYTES = 960 * 1024;

    private DeadLetters() {}

    static void describe(
            Headers headers,
            Rejection rejection,
            String reason,
            String stage,
            String topic,
            int partition,
            long offset) {
        headers.add(ERROR_CLASS, utf8(rejection.name()));
        headers.add(ERROR_MESSAGE, utf8(reason));
        headers.add(STAGE, utf8(stage));
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    }

    static void attempts(Headers headers, int attempts) {
        headers.add(ATTEMPTS, utf8(Integer.toString(attempts)));
    }

    /** The value a dead letter keeps: the original bytes, cut to {@link #MAX_VALUE_BYTES} with their size in a header. */
    static byte[] value(Headers headers, byte[] original) {
        if (original == null || original.length <= MAX_VALUE_BYTES) {
            return original;
        }
        headers.add(ORIGINAL_VALUE_BYTES, utf8(Integer.toString(original.length)));
        return capped(original, MAX_VALUE_BYTES);
    }

    /** The original bytes, or their first {@code max} when longer (the caller records the size). */
    private static byte[] capped(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : java.util.Arrays.copyOf(bytes, max);
    }

    /** A header's value as text, or null when absent. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
