package dev.tributary.functions;

import dev.tributary.schema.UsageRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The usage of one task's open interval, per model, and how it becomes {@link UsageRecord}s.
 *
 * <ul>
 *   <li>Invocations and errors are counted exactly.
 *   <li>CPU is sampled: one invocation in {@value #CPU_SAMPLE_EVERY} is timed with the thread's
 *       CPU clock (a clock read costs about 0.5 µs, too much for every event). A model's CPU time is
 *       the mean of its samples × its invocations; a model with no sample in the interval gets the
 *       mean of all the task's samples.
 *   <li>GB-seconds, as a serverless platform bills memory × time: the instance's heap in GiB ×
 *       the interval's seconds × the model's share of the instance's invocations in the interval
 *       (its invocations ÷ all the invocations of every task of the instance). The instance's idle
 *       time is not billed: an interval without invocations writes no record.
 * </ul>
 *
 * Not thread-safe: one per task, used by its stream thread.
 */
final class UsageAccount {
    static final int CPU_SAMPLE_EVERY = 16;
    static final double BYTES_PER_GB = 1L << 30;
    /** The model of usage that names no registered model (undecodable events, unknown models). */
    static final String NO_MODEL = "(no model)";

    private final Map<String, UsageTally> open = new LinkedHashMap<>();
    /** The model of the last invocation and its counts: consecutive events mostly name the same model. */
    private String lastModel;

    private UsageTally lastCounts;
    private long intervalStart;
    private long calls;

    UsageAccount(long now) {
        this.intervalStart = now;
    }

    long intervalStart() {
        return intervalStart;
    }

    /** Whether the next invocation should be timed with the CPU clock. */
    boolean sampleNext() {
        return calls++ % CPU_SAMPLE_EVERY == 0;
    }

    /**
     * Counts one invocation.
     *
     * @param cpuNanos its CPU time if it was sampled, else a negative number
     * @return the model's counts, to be saved
     */
    UsageTally record(String model, boolean error, long cpuNanos) {
        UsageTally c = lastCounts != null && model != null && model.equals(lastModel) ? lastCounts : open.get(model);
        if (c == null) {
            c = new UsageTally(intervalStart);
            open.put(model, c);
        }
        lastModel = model;
        lastCounts = c;
        c.invocations++;
        c.unsaved = true;
        if (error) {
            c.errors++;
        }
        if (cpuNanos >= 0) {
            c.cpuSampleNanos += cpuNanos;
            c.cpuSamples++;
        }
        return c;
    }

    /** Takes counts saved before a restart or a move of the task, not yet written as records. */
    void restore(String model, UsageTally counts) {
        open.put(model, counts);
        lastCounts = null;
    }

    /** Gives {@code save} each model whose counts changed since the last call (or since they were restored). */
    void saveChanged(BiConsumer<String, UsageTally> save) {
        open.forEach((model, counts) -> {
            if (counts.unsaved) {
                counts.unsaved = false;
                save.accept(model, counts);
            }
        });
    }

    /** Invocations counted since the last {@link #close}. */
    long invocations() {
        return open.values().stream().mapToLong(c -> c.invocations).sum();
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /** The models with open counts, in first-seen order. */
    List<String> models() {
        return new ArrayList<>(open.keySet());
    }

    /**
     * Ends the interval: one record per model, and a new empty interval from {@code now}.
     *
     * @param instanceInvocations every invocation of the instance (all its tasks) during the interval
     * @param heapBytes the memory size of the GB-seconds
     */
    List<UsageRecord> close(
            long now, String function, String instance, String task, long instanceInvocations, long heapBytes) {
        long taskInvocations = invocations();
        // Counts restored from before a restart were not seen by this instance's counter.
        double base = Math.max(instanceInvocations, taskInvocations);
        double cpuMeanNanos = meanSampledCpuNanos();
        List<UsageRecord> records = new ArrayList<>(open.size());
        for (Map.Entry<String, UsageTally> e : open.entrySet()) {
            UsageTally c = e.getValue();
            double meanNanos = c.cpuSamples > 0 ? (double) c.cpuSampleNanos / c.cpuSamples : cpuMeanNanos;
            double seconds = Math.max(0, now - Math.max(c.intervalStart, intervalStart)) / 1000.0;
            records.add(UsageRecord.newBuilder()
                    .setFunction(function)
                    .setModel(e.getKey())
                    .setInstance(instance)
                    .setTask(task)
                    .setIntervalStart(c.intervalStart)
                    .setIntervalEnd(now)
                    .setInvocations(c.invocations)
                    .setErrors(c.errors)
                    .setCpuMillis(meanNanos * c.invocations / 1e6)
                    .setHeapBytes(heapBytes)
                    .setGbSeconds(gbSeconds(heapBytes, seconds, c.invocations / base))
                    .build());
        }
        open.clear();
        lastCounts = null;
        intervalStart = now;
        return records;
    }

    /** Memory × time × share, in GiB-seconds. */
    static double gbSeconds(long heapBytes, double seconds, double share) {
        return heapBytes / BYTES_PER_GB * seconds * share;
    }

    private double meanSampledCpuNanos() {
        long nanos = 0;
        long samples = 0;
        for (UsageTally c : open.values()) {
            nanos += c.cpuSampleNanos;
            samples += c.cpuSamples;
        }
        return samples == 0 ? 0 : (double) nanos / samples;
    }
}
