package dev.tributary.functions;

import dev.tributary.schema.wire.FeaturizedExample;
import java.nio.ByteBuffer;

/**
 * An example whose label came later than its event — by feedback, or the model's default label when
 * the wait ended — as the train-by-model topic and the trainer's journal carry it: what the user saw
 * when the event was scored, then the {@link FeaturizedExample} with its label. The train function
 * learns from the example and scores the prediction the user got against the label (the delayed
 * progressive metrics, {@code delayed.*}).
 *
 * <p>Layout, big-endian: {@code 'T' 'J'}, the margin of the prediction the user saw (float64), the
 * version that made it, when it was made and when the label joined (int64 each), a flag byte (1: the
 * default label of an expired wait), then the featurized example.
 */
final class JoinedExample {
    private static final byte MAGIC_0 = 'T';
    private static final byte MAGIC_1 = 'J';
    private static final int EXAMPLE_AT = 2 + Double.BYTES + 3 * Long.BYTES + 1;

    private JoinedExample() {}

    static byte[] encode(PendingLabel seen, double label, long labelledAt, boolean defaulted) {
        byte[] example = FeaturizedExample.withLabel(seen.example(), label);
        return ByteBuffer.allocate(EXAMPLE_AT + example.length)
                .put(MAGIC_0)
                .put(MAGIC_1)
                .putDouble(seen.margin())
                .putLong(seen.version())
                .putLong(seen.scoredAt())
                .putLong(labelledAt)
                .put((byte) (defaulted ? 1 : 0))
                .put(example)
                .array();
    }

    static boolean matches(byte[] value) {
        return value != null && value.length > EXAMPLE_AT && value[0] == MAGIC_0 && value[1] == MAGIC_1;
    }

    /** The margin of the prediction the user saw. */
    static double margin(byte[] value) {
        return ByteBuffer.wrap(value).getDouble(2);
    }

    /** The featurized example, with its label. */
    static byte[] example(byte[] value) {
        return java.util.Arrays.copyOfRange(value, EXAMPLE_AT, value.length);
    }
}
