package dev.tributary.schema.wire;

import dev.tributary.learn.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A labelled event as the score function featurized it, in the form the train-by-model topic and
 * the trainer's journal carry it: the train function learns from it without decoding the event
 * again.
 *
 * <p>Layout, version 1: {@code 'T' 'F'}, the version byte {@code 1}, then in {@link
 * WireFormats#ORDER}: the label (float64), the count of numeric entries (int32) and of the other
 * entries (int32), the numeric values (float64 each: entry k has index k), the other entries' index
 * (int32) and value (float64), then the event id (UTF-8, for log lines). The first form, {@code 'T'
 * 'X'} and the same fields big-endian without a version byte, is still read: a rolling upgrade
 * meets it in the topic and the journal.
 *
 * <p>The magic tells it apart from an input value as it arrived (JSON starts with {@code {} or
 * blanks, Avro single-object encoding with {@code C3 01}), which the train function still reads
 * from a topic or journal written before this form existed.
 */
public final class FeaturizedExample {
    public static final byte VERSION = 1;
    private static final byte MAGIC_0 = 'T';
    private static final byte MAGIC_1 = 'F';
    /** The second byte of the first form (no version byte, big-endian). */
    private static final byte FIRST_FORM_MAGIC_1 = 'X';

    private static final int BODY_HEADER_BYTES = Double.BYTES + 2 * Integer.BYTES;
    private static final int ENTRY_BYTES = Integer.BYTES + Double.BYTES;

    private FeaturizedExample() {}

    /**
     * @param numeric how many of {@code x}'s first entries are the numeric features (index k at entry k)
     */
    public static byte[] encode(String id, double label, int numeric, FeatureVector x) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int others = x.size() - numeric;
        ByteBuffer b = ByteBuffer.allocate(
                        3 + BODY_HEADER_BYTES + numeric * Double.BYTES + others * ENTRY_BYTES + idBytes.length)
                .order(WireFormats.ORDER);
        b.put(MAGIC_0)
                .put(MAGIC_1)
                .put(VERSION)
                .putDouble(label)
                .putInt(numeric)
                .putInt(others);
        for (int k = 0; k < numeric; k++) {
            b.putDouble(x.value(k));
        }
        for (int k = numeric; k < x.size(); k++) {
            b.putInt(x.index(k)).putDouble(x.value(k));
        }
        return b.put(idBytes).array();
    }

    /** Whether {@code value} is in this form, of any version (else it is an input value as it arrived). */
    public static boolean matches(byte[] value) {
        return value != null && Layout.of(value) != null;
    }

    /** The label; {@code value} must {@link #matches} and be of a version this release reads. */
    public static double label(byte[] value) {
        Layout layout = Layout.read(value);
        return layout.body(value).getDouble(layout.bodyAt);
    }

    /** A copy of the example with {@code label} (one that waited for its label carries NaN until then). */
    public static byte[] withLabel(byte[] value, double label) {
        Layout layout = Layout.read(value);
        byte[] copy = value.clone();
        layout.body(copy).putDouble(layout.bodyAt, label);
        return copy;
    }

    /** The event id, for log lines; {@code "?"} if it cannot be read. */
    public static String id(byte[] value) {
        Layout layout = Layout.of(value);
        long start = layout == null || layout.version > VERSION ? -1 : layout.idStart(value);
        return start < 0 || start > value.length
                ? "?"
                : new String(value, (int) start, value.length - (int) start, StandardCharsets.UTF_8);
    }

    /**
     * Fills {@code x} with the entries if they fit a model of {@code numeric} numeric features and
     * {@code dimension} weights; returns why not, or null.
     */
    public static String fill(byte[] value, int numeric, int dimension, FeatureVector x) {
        x.clear();
        Layout layout = Layout.of(value);
        if (layout.version > VERSION) {
            return WireFormats.unknownVersion("featurized example", layout.version, VERSION)
                    .getMessage();
        }
        ByteBuffer b = layout.body(value);
        int numerics = b.getInt(layout.countsAt());
        int others = b.getInt(layout.countsAt() + Integer.BYTES);
        long end = layout.idStart(value);
        if (numerics != numeric || others < 0 || end < 0 || end > value.length) {
            return "a featurized example of " + numerics + " numeric and " + others + " other entries in "
                    + value.length + " bytes does not fit a model of " + numeric + " numeric features";
        }
        b.position(layout.bodyAt + BODY_HEADER_BYTES);
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

    /** Where a version's fields start and in which byte order they are. Version 0 is the first form. */
    private record Layout(int version, int bodyAt, ByteOrder order) {
        private static final Layout FIRST_FORM = new Layout(0, 2, ByteOrder.BIG_ENDIAN);

        /** The layout of {@code value}, or null if it is not a featurized example. */
        static Layout of(byte[] value) {
            if (value.length < 2 || value[0] != MAGIC_0) {
                return null;
            }
            if (value[1] == FIRST_FORM_MAGIC_1) {
                return value.length >= 2 + BODY_HEADER_BYTES ? FIRST_FORM : null;
            }
            if (value[1] != MAGIC_1 || value.length < 3 + BODY_HEADER_BYTES) {
                return null;
            }
            return new Layout(value[2] & 0xFF, 3, WireFormats.ORDER);
        }

        /** The layout of a featurized example this release reads. */
        static Layout read(byte[] value) {
            Layout layout = of(value);
            if (layout == null) {
                throw new IllegalArgumentException("not a featurized example (" + value.length + " bytes)");
            }
            if (layout.version > VERSION) {
                throw WireFormats.unknownVersion("featurized example", layout.version, VERSION);
            }
            return layout;
        }

        ByteBuffer body(byte[] value) {
            return ByteBuffer.wrap(value).order(order);
        }

        int countsAt() {
            return bodyAt + Double.BYTES;
        }

        /** Where the id starts, from the counts (negative if they are negative). */
        long idStart(byte[] value) {
            ByteBuffer b = body(value);
            long numerics = b.getInt(countsAt());
            long others = b.getInt(countsAt() + Integer.BYTES);
            return numerics < 0 || others < 0
                    ? -1
                    : bodyAt + BODY_HEADER_BYTES + numerics * Double.BYTES + others * ENTRY_BYTES;
        }
    }
}
