package dev.tributary.functions;

import dev.tributary.schema.wire.UsageCounts;

/** One model's usage in a task's open interval, counted as it goes; kept in the task's usage store as {@link UsageCounts}. */
final class UsageTally {
    final long intervalStart;
    long invocations;
    long errors;
    /** Thread CPU time of the sampled invocations, and how many were sampled. */
    long cpuSampleNanos;

    long cpuSamples;
    /** Whether the counts changed since they were last written to the usage store. */
    boolean unsaved;

    UsageTally(long intervalStart) {
        this.intervalStart = intervalStart;
    }

    byte[] toBytes() {
        return new UsageCounts(intervalStart, invocations, errors, cpuSampleNanos, cpuSamples).toBytes();
    }

    static UsageTally fromBytes(byte[] bytes) {
        UsageCounts saved = UsageCounts.fromBytes(bytes);
        UsageTally t = new UsageTally(saved.intervalStart());
        t.invocations = saved.invocations();
        t.errors = saved.errors();
        t.cpuSampleNanos = saved.cpuSampleNanos();
        t.cpuSamples = saved.cpuSamples();
        return t;
    }
}
