package dev.tributary.autoscale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The policies {@code autoscale --policy} combines: each says how many instances it wants and the
 * largest count wins, reached one instance per poll. The lag policy ({@link ScalingPolicy}) alone
 * starts the first instance and stops the last, as with KEDA, where CPU and memory triggers cannot
 * scale to zero: when it is on and wants none, none run; without it, at least one runs.
 */
public final class Policies {
    /** What was measured this poll; null where unknown or not asked for. */
    public record Reading(Long lag, int partitions, Double cpu, Double memory) {}

    /** Each policy's count (null when it is off or could not tell), the count chosen, the step taken and why. */
    public record Choice(int before, Integer lag, Integer cpu, Integer memory, int desired, int after, String reason) {
        public boolean changes() {
            return after != before;
        }
    }

    private final int min;
    private final int max;
    private final ScalingPolicy lag;
    private final UtilisationPolicy cpu;
    private final UtilisationPolicy memory;

    /** Any of the three may be null (off), not all. */
    public Policies(int min, int max, ScalingPolicy lag, UtilisationPolicy cpu, UtilisationPolicy memory) {
        if (lag == null && cpu == null && memory == null) {
            throw new IllegalArgumentException("--policy needs at least one of lag, cpu and memory");
        }
        this.min = lag == null ? Math.max(1, min) : min;
        this.max = max;
        this.lag = lag;
        this.cpu = cpu;
        this.memory = memory;
    }

    public boolean usesLag() {
        return lag != null;
    }

    /** Whether any policy needs the instances' /metrics. */
    public boolean usesMetrics() {
        return cpu != null || memory != null;
    }

    /** The fewest instances: {@code --min}, or 1 when only cpu and memory decide. */
    public int min() {
        return min;
    }

    public Choice decide(Instant now, Reading reading, int instances) {
        int cap = Math.max(min, reading.partitions() > 0 ? Math.min(max, reading.partitions()) : max);
        List<String> reasons = new ArrayList<>();
        Integer lagCount = null;
        if (lag != null && reading.lag() != null) {
            ScalingPolicy.Decision d = lag.decide(now, reading.lag(), instances, reading.partitions());
            lagCount = d.after();
            reasons.add("lag policy: " + d.reason());
        }
        int floor = Math.max(1, min);
        Integer cpuCount = vote(cpu, now, reading.cpu(), instances, floor, cap, reasons);
        Integer memoryCount = vote(memory, now, reading.memory(), instances, floor, cap, reasons);
        int desired;
        if (lagCount != null && lagCount == 0) {
            desired = 0;
        } else if (instances == 0 && lag == null) {
            desired = floor;
            reasons.add("at least " + floor + " without the lag policy");
        } else {
            desired = largest(instances, lagCount, cpuCount, memoryCount);
            desired = Math.max(Math.min(desired, cap), instances < min ? min : 0);
        }
        int after = instances + Integer.signum(desired - instances);
        return new Choice(instances, lagCount, cpuCount, memoryCount, desired, after, String.join("; ", reasons));
    }

    private static Integer vote(
            UtilisationPolicy policy,
            Instant now,
            Double utilisation,
            int instances,
            int floor,
            int cap,
            List<String> reasons) {
        if (policy == null || instances == 0) {
            return null;
        }
        UtilisationPolicy.Vote v = policy.decide(now, utilisation, instances, floor, cap);
        reasons.add(v.reason());
        return v.desired();
    }

    private static int largest(int instances, Integer... counts) {
        int largest = -1;
        for (Integer c : counts) {
            if (c != null) {
                largest = Math.max(largest, c);
            }
        }
        return largest < 0 ? instances : largest;
    }
}
