package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A labelled event as the score function featurized it, in the form the train-by-model topic and
 * the trainer's journal carry it: the train function learns from it without decoding the event
 * again. Layout, big-endian: {@code 'T' 'X'}, the label (float64), the count of numeric entries
 * (int32) and of the other entries (int32), the numeric values (float64 each: entry k has index k),
 * the other entries' index (int32) and value (float64), then the event id (UTF-8, for log lines).
 *
 * <p>The first two bytes tell it apart from an input value as it arrived (JSON starts with
 * {@code {} or blanks, Avro single-object encoding with {@code C3 01}), which the train function
 * still reads from a topic or journal written before this form existed.
 */
final class FeaturizedExample {
    private static final byte MAGIC_0 = 'T';
    private static final byte MAGIC_1 = 'X';
    private static final int COUNTS_AT = 2 + Double.BYTES;
    private static final int HEADER_BYTES = COUNTS_AT + 2 * Integer.BYTES;
    private static final int ENTRY_BYTES = Integer.BYTES + Double.BYTES;

    private FeaturizedExample() {}

    /** @param numeric how many of {@code x}'s first entries are the numeric features (index k at entry k) */
    static byte[] encode(String id, double label, int numeric, FeatureVector x) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int others = x.size() - numeric;
        ByteBuffer b =
                ByteBuffer.allocate(HEADER_BYTES + numeric * Double.BYTES + others * ENTRY_BYTES + idBytes.length);
        b.put(MAGIC_0).put(MAGIC_1).putDouble(label).putInt(numeric).putInt(others);
        for (int k = 0; k < numeric; k++) {
            b.putDouble(x.value(k));
        }
        for (int k = numeric; k < x.size(); k++) {
            b.putInt(x.index(k)).putDouble(x.value(k));
        }
        return b.put(idBytes).array();
    }

    /** Whether {@code value} is in this form (else it is an input value as it arrived). */
    static boolean matches(byte[] value) {
        return value != null && value.length >= HEADER_BYTES && value[0] == MAGIC_0 && value[1] == MAGIC_1;
    }

    static double label(byte[] value) {
        return ByteBuffer.wrap(value).getDouble(2);
    }

    /** A copy of the example with {@code label} (one that waited for its label carries NaN until then). */
    static byte[] withLabel(byte[] value, double label) {
        byte[] copy = value.clone();
        ByteBuffer.wrap(copy).putDouble(2, label);
        return copy;
    }

    static String id(byte[] value) {
        long start = idStart(value);
        return start < 0 || start > value.length
                ? "?"
                : new String(value, (int) start, value.length - (int) start, StandardCharsets.UTF_8);
    }

    /**
     * Fills {@code x} with the entries if they fit a model of {@code numeric} numeric features and
     * {@code dimension} weights; returns why not, or null.
     */
    static String fill(byte[] value, int numeric, int dimension, FeatureVector x) {
        x.clear();
        ByteBuffer b = ByteBuffer.wrap(value);
        int numerics = b.getInt(COUNTS_AT);
        int others = b.getInt(COUNTS_AT + Integer.BYTES);
        long end = idStart(value);
        if (numerics != numeric || others < 0 || end < 0 || end > value.length) {
            return "a featurized example of " + numerics + " numeric and " + others + " other entries in "
                    + value.length + " bytes does not fit a model of " + numeric + " numeric features";
        }
        b.position(HEADER_BYTES);
        for (int k = 0; k < numeric + others; k++) {
            int index = k < numeric ? k : b.getInt();
            double v = b.getDouble();
            if (index < numeric && k >= numeric || index >= dimension || !Double.isFinite(v)) {
                x.clear();
                return "entry " + k + " (index " + index + ", value " + v + ") does not fit a model of " + numeric
                        + " numeric features and " + dimension + " weights";
            }
            x.add(index, v);
        }
        return null;
    }

    /** Where the id starts, from the counts (negative if they are negative). */
    private static long idStart(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long numerics = b.getInt(COUNTS_AT);
        long others = b.getInt(COUNTS_AT + Integer.BYTES);
        return numerics < 0 || others < 0 ? -1 : HEADER_BYTES + numerics * Double.BYTES + others * ENTRY_BYTES;
    }
}
