package dev.tributary.bench;

import java.util.Arrays;

/**
 * Latency samples (milliseconds) and their percentiles by the nearest-rank method: the p-th
 * percentile of n sorted samples is the sample at rank ⌈p/100 · n⌉ (1-based): p99.9 of 1,000
 * samples is the 999th smallest, of 100 samples the largest. A percentile is always one of the
 * samples, never an interpolation.
 */
public final class Percentiles {
    private long[] samples = new long[1024];
    private int count;

    /** Adds one sample; not thread-safe (one consumer thread records). */
    public void add(long value) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = value;
    }

    public int count() {
        return count;
    }

    /** The summary of the samples so far; null when there are none. */
    public Summary summary() {
        if (count == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (long s : sorted) {
            sum += s;
        }
        return new Summary(
                count,
                nearestRank(sorted, 50),
                nearestRank(sorted, 99),
                nearestRank(sorted, 99.9),
                sorted[0],
                sorted[count - 1],
                sum / count);
    }

    /** The nearest-rank percentile of sorted samples (0 &lt; p ≤ 100). */
    public static long nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        // p/100 · n computed in a way that keeps 99.9 % of 1,000 at exactly 999
        long rank = (long) Math.ceil(Math.round(p * 1000) * (double) sorted.length / 100_000.0 - 1e-9);
        int index = (int) Math.max(1, Math.min(sorted.length, rank)) - 1;
        return sorted[index];
    }

    /** Percentiles of one latency measurement, in milliseconds. */
    public record Summary(int samples, long p50, long p99, long p999, long min, long max, double mean) {}
}
