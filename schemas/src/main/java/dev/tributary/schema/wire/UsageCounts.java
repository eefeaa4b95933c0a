package dev.tributary.schema.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One model's usage in a task's open interval, as the score function's usage store keeps it.
 *
 * <p>Layout, version 1: the version byte {@code 1}, then five int64 in {@link WireFormats#ORDER}:
 * the interval's start, the invocations, the errors, the thread CPU time of the sampled invocations
 * (ns) and how many were sampled. The first form (no version byte, the same five int64 big-endian,
 * exactly 40 bytes) is still read.
 *
 * @param cpuSampleNanos thread CPU time of the sampled invocations
 * @param cpuSamples how many invocations were sampled
 */
public record UsageCounts(long intervalStart, long invocations, long errors, long cpuSampleNanos, long cpuSamples) {
    public static final byte VERSION = 1;
    private static final int LONGS_BYTES = 5 * Long.BYTES;
    /** The size of an entry in the current form. */
    public static final int BYTES = 1 + LONGS_BYTES;

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES)
                .order(WireFormats.ORDER)
                .put(VERSION)
                .putLong(intervalStart)
                .putLong(invocations)
                .putLong(errors)
                .putLong(cpuSampleNanos)
                .putLong(cpuSamples)
                .array();
    }

    /** Reads an entry of any version; refuses bytes that are neither. */
    public static UsageCounts fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("a usage entry has no bytes (null): the usage store is corrupt");
        }
        ByteBuffer b;
        if (bytes.length == LONGS_BYTES) {
            b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN); // the first form, before version bytes
        } else if (bytes.length > 0 && bytes[0] > VERSION) {
            throw WireFormats.unknownVersion("usage entry", bytes[0], VERSION);
        } else if (bytes.length == BYTES && bytes[0] == VERSION) {
            b = ByteBuffer.wrap(bytes, 1, LONGS_BYTES).order(WireFormats.ORDER);
        } else {
            throw new IllegalArgumentException("a usage entry is " + BYTES + " bytes (or " + LONGS_BYTES
                    + " in the first form), not " + bytes.length + ": the usage store holds something else");
        }
        return new UsageCounts(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
}
