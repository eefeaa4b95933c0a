package dev.tributary.autoscale;

import java.time.Duration;
import java.time.Instant;

/**
 * When to add or remove a function instance, from the consumer group's lag alone. The rule is
 * KEDA's Kafka scaler with the HPA limited to one pod per step: the instances needed are
 * {@code ceil(lag / lagThreshold)}, capped at {@code max} and at the events topic's partitions (an
 * instance beyond them would have nothing to do); from zero, any lag above the activation
 * threshold starts one. Up is at most one instance per decision; down is one instance once fewer
 * would have done for a whole cooldown, and the cooldown starts again after every change, so a
 * lag that hovers near a threshold never makes the count flap.
 */
public final class ScalingPolicy {
    /**
     * @param min instances kept even when idle (0: scale to zero)
     * @param max instances at most
     * @param lagThreshold lag one instance is expected to handle
     * @param activationLagThreshold lag above which zero instances become one (and at or below which one becomes zero)
     * @param cooldown how long fewer instances must have sufficed before one is removed
     */
    public record Settings(int min, int max, long lagThreshold, long activationLagThreshold, Duration cooldown) {
        public Settings {
            if (min < 0) {
                throw new IllegalArgumentException("--min must be 0 or more, got " + min);
            }
            if (max < 1 || max < min) {
                throw new IllegalArgumentException(
                        "--max must be at least 1 and at least --min (" + min + "), got " + max);
            }
            if (lagThreshold < 1) {
                throw new IllegalArgumentException("--lag-threshold must be at least 1, got " + lagThreshold);
            }
            if (activationLagThreshold < 0) {
                throw new IllegalArgumentException(
                        "--activation-lag-threshold must be 0 or more, got " + activationLagThreshold);
            }
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("--cooldown must be 0 or more, got " + cooldown.toSeconds() + " s");
            }
        }
    }

    /** What to do now: {@code after} instances instead of {@code before} (the same: hold), and why. */
    public record Decision(int before, int after, String reason) {
        public boolean changes() {
            return after != before;
        }
    }

    private final Settings settings;
    /** Since when fewer instances would have done, or null while they would not. */
    private Instant calmSince;

    public ScalingPolicy(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The decision for this poll.
     *
     * @param lag the group's total lag
     * @param instances the instances running now
     * @param partitions the events topic's partitions (0 if unknown: then only {@code max} caps)
     */
    public Decision decide(Instant now, long lag, int instances, int partitions) {
        int cap = Math.max(settings.min(), partitions > 0 ? Math.min(settings.max(), partitions) : settings.max());
        if (instances < settings.min()) {
            return change(instances, instances + 1, "fewer than --min " + settings.min());
        }
        if (instances > cap) {
            return change(instances, instances - 1, "more than the cap of " + cap);
        }
        if (instances == 0) {
            return lag > settings.activationLagThreshold()
                    ? change(0, 1, "lag " + lag + " > activation threshold " + settings.activationLagThreshold())
                    : hold(0, "idle");
        }
        long needed = ceilDiv(lag, settings.lagThreshold());
        if (needed > instances) {
            String why = "lag " + lag + " > " + instances + " × threshold " + settings.lagThreshold();
            calmSince = null;
            return instances < cap
                    ? change(instances, instances + 1, why)
                    : hold(instances, why + ", at the cap of " + cap);
        }
        boolean fewerWouldDo = instances > settings.min()
                && (instances == 1 ? lag <= settings.activationLagThreshold() : needed < instances);
        if (!fewerWouldDo) {
            calmSince = null;
            return hold(instances, "lag " + lag + " needs " + instances);
        }
        if (calmSince == null) {
            calmSince = now;
        }
        if (Duration.between(calmSince, now).compareTo(settings.cooldown()) < 0) {
            return hold(instances, "cooling down");
        }
        String why = instances == 1
                ? "lag " + lag + " ≤ activation threshold " + settings.activationLagThreshold()
                : "lag " + lag + " ≤ " + (instances - 1) + " × threshold " + settings.lagThreshold();
        return change(
                instances,
                instances - 1,
                why + " for the cooldown of " + settings.cooldown().toSeconds() + " s");
    }

    private Decision change(int before, int after, String reason) {
        calmSince = null;
        return new Decision(before, after, reason);
    }

    private static Decision hold(int instances, String reason) {
        return new Decision(instances, instances, reason);
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
