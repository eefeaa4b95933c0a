package dev.tributary.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * How many instances one resource (CPU or memory) calls for, by the Kubernetes HPA's rule:
 * {@code desired = ceil(current × utilisation / target)}, unchanged while the ratio is within the
 * tolerance of 1, then bounded by the stabilisation windows as the HPA bounds it: the count never
 * rises above the smallest recommendation of the scale-up window, nor falls below the largest of
 * the scale-down window. Zero instances have no utilisation, so this rule never starts or stops
 * the last one.
 */
public final class UtilisationPolicy {
    /** The HPA's default tolerance: ratios within 10 % of 1 change nothing. */
    public static final double TOLERANCE = 0.1;

    /**
     * @param resource {@code cpu} or {@code memory}, for messages
     * @param target utilisation one instance should run at, above 0 and at most 1
     * @param upWindow recommendations considered before adding instances
     * @param downWindow recommendations considered before removing instances
     */
    public record Settings(String resource, double target, Duration upWindow, Duration downWindow) {
        public Settings {
            if (!(target > 0 && target <= 1)) {
                throw new IllegalArgumentException("--" + resource
                        + "-target must be a percentage above 0 and at most 100, got " + percent(target));
            }
            if (upWindow.isNegative() || downWindow.isNegative()) {
                throw new IllegalArgumentException(
                        "--scale-up-window and --scale-down-window must be 0 or more seconds");
            }
        }
    }

    /** The instances this resource calls for, and why. */
    public record Vote(int desired, String reason) {}

    private record Recommendation(Instant at, int count) {}

    private final Settings settings;
    private final Deque<Recommendation> history = new ArrayDeque<>();

    public UtilisationPolicy(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @param utilisation the average over the instances sampled (0 to 1), or null when none could be sampled
     * @param current the instances running now
     * @param floor, cap the fewest and most instances this rule may ask for
     */
    public Vote decide(Instant now, Double utilisation, int current, int floor, int cap) {
        String name = settings.resource();
        if (current == 0) {
            return new Vote(0, name + ": no instance to measure");
        }
        if (utilisation == null) {
            return new Vote(current, name + ": no instance sampled yet (warming up or not serving /metrics)");
        }
        double ratio = utilisation / settings.target();
        // the epsilon keeps a ratio of exactly 1 ± tolerance (0.55 / 0.5 is 1.1000000000000001) inside
        int proposed = Math.abs(ratio - 1) <= TOLERANCE + 1e-9 ? current : (int) Math.ceil(current * ratio - 1e-9);
        proposed = Math.max(floor, Math.min(cap, proposed));
        int desired = stabilise(now, proposed, current);
        String reason = name + " " + percent(utilisation) + " over " + current + " instance(s), target "
                + percent(settings.target()) + " → " + proposed;
        if (desired != proposed) {
            reason +=
                    ", held at " + desired + " by the " + (proposed > current ? "scale-up" : "scale-down") + " window";
        }
        return new Vote(desired, reason);
    }

    private int stabilise(Instant now, int proposed, int current) {
        history.addLast(new Recommendation(now, proposed));
        Duration longest =
                settings.upWindow().compareTo(settings.downWindow()) > 0 ? settings.upWindow() : settings.downWindow();
        while (!history.isEmpty() && history.peekFirst().at().isBefore(now.minus(longest))) {
            history.removeFirst();
        }
        int up = proposed;
        int down = proposed;
        for (Recommendation r : history) {
            if (!r.at().isBefore(now.minus(settings.upWindow()))) {
                up = Math.min(up, r.count());
            }
            if (!r.at().isBefore(now.minus(settings.downWindow()))) {
                down = Math.max(down, r.count());
            }
        }
        return Math.min(Math.max(current, up), down);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
