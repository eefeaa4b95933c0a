package dev.tributary.functions;

import java.nio.ByteBuffer;

/** One model's usage in a task's open interval, as the task's usage store keeps it (five longs). */
final class UsageCounts {
    static final int BYTES = 5 * Long.BYTES;

    final long intervalStart;
    long invocations;
    long errors;
    /** Thread CPU time of the sampled invocations, and how many were sampled. */
    long cpuSampleNanos;

    long cpuSamples;

    UsageCounts(long intervalStart) {
        this.intervalStart = intervalStart;
    }

    byte[] toBytes() {
        return ByteBuffer.allocate(BYTES)
                .putLong(intervalStart)
                .putLong(invocations)
                .putLong(errors)
                .putLong(cpuSampleNanos)
                .putLong(cpuSamples)
                .array();
    }

    static UsageCounts fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException(
                    "a usage entry is " + BYTES + " bytes, not " + (bytes == null ? "null" : bytes.length));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        UsageCounts c = new UsageCounts(b.getLong());
        c.invocations = b.getLong();
        c.errors = b.getLong();
        c.cpuSampleNanos = b.getLong();
        c.cpuSamples = b.getLong();
        return c;
    }
}
