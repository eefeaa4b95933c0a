package dev.tributary.functions;

import dev.tributary.schema.Prediction;
import dev.tributary.schema.wire.FeaturizedExample;
import java.nio.ByteBuffer;

/**
 * One entry of the pending-labels store: a scored event waiting for its label ({@link #waiting}),
 * or the small marker left once its feedback has joined ({@link #joined}), kept until the wait
 * would have ended so that a second feedback for it is recognised as a duplicate.
 *
 * <p>Layout, big-endian: the state (1 byte: 1 waiting, 2 joined) and when the wait ends (int64,
 * wall-clock ms); for a waiting event then what the user saw — the margin and value of the
 * prediction (float64 each), its class (1 byte: 0, 1, or -1 for regression), the version that made
 * it and when (int64 each) — where the event came from (partition int32, offset int64, the topic's
 * UTF-8 length int16 and bytes), and last the example as the score function featurized it
 * ({@link FeaturizedExample}, its label not yet known).
 *
 * @param example null for a joined marker
 */
record PendingLabel(
        boolean isWaiting,
        long expiresAt,
        double margin,
        double value,
        int predictedClass,
        long version,
        long scoredAt,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        byte[] example) {
    private static final byte WAITING = 1;
    private static final byte JOINED = 2;
    private static final int MARKER_BYTES = 1 + Long.BYTES;
    /** The bytes of a waiting entry before its source ({@link StoredSource}) and its example. */
    private static final int FIXED_BYTES = MARKER_BYTES + 2 * Double.BYTES + 1 + 2 * Long.BYTES;

    static PendingLabel waiting(
            long expiresAt,
            Prediction seen,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] example) {
        Integer c = seen.getPredictedClass();
        return new PendingLabel(
                true,
                expiresAt,
                seen.getMargin(),
                seen.getValue(),
                c == null ? -1 : c,
                seen.getModelVersion(),
                seen.getScoredAt(),
                sourceTopic,
                sourcePartition,
                sourceOffset,
                example);
    }

    /** What remains of this entry once its feedback has joined: when the wait would have ended. */
    PendingLabel joined() {
        return new PendingLabel(false, expiresAt, 0, 0, -1, 0, 0, null, -1, -1, null);
    }

    /** Whether the model that scored it is a classifier (its labels must be 0 or 1). */
    boolean classifier() {
        return predictedClass >= 0;
    }

    byte[] toBytes() {
        if (!isWaiting) {
            return ByteBuffer.allocate(MARKER_BYTES)
                    .put(JOINED)
                    .putLong(expiresAt)
                    .array();
        }
        StoredSource source = new StoredSource(sourceTopic, sourcePartition, sourceOffset);
        ByteBuffer b = ByteBuffer.allocate(FIXED_BYTES + source.size() + example.length)
                .put(WAITING)
                .putLong(expiresAt)
                .putDouble(margin)
                .putDouble(value)
                .put((byte) predictedClass)
                .putLong(version)
                .putLong(scoredAt);
        return source.put(b).put(example).array();
    }

    static PendingLabel fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte state = b.get();
        long expiresAt = b.getLong();
        if (state == JOINED) {
            return new PendingLabel(false, expiresAt, 0, 0, -1, 0, 0, null, -1, -1, null);
        }
        if (state != WAITING) {
            throw new IllegalStateException("a pending-labels entry of unknown state " + state);
        }
        double margin = b.getDouble();
        double value = b.getDouble();
        int predictedClass = b.get();
        long version = b.getLong();
        long scoredAt = b.getLong();
        StoredSource source = StoredSource.get(b);
        return new PendingLabel(
                true,
                expiresAt,
                margin,
                value,
                predictedClass,
                version,
                scoredAt,
                source.topic(),
                source.partition(),
                source.offset(),
                StoredSource.rest(b));
    }
}
