package dev.tributary.learn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Delayed progressive validation (River's {@code progressive_val_score(delay=…)}): each prediction a
 * user actually got — its margin, made by the version serving when the event was scored — is scored
 * against the label when the label arrives, later. The test-then-train metrics of {@link
 * Learner#metrics()} score the model as it is when it learns the example, which is newer than the one
 * that answered; these tell how good the answers were.
 *
 * <p>Keys are the progressive metrics' names prefixed {@value #PREFIX}: {@code delayed.accuracy}
 * (and {@code delayed.logloss} for logistic regression) for classifiers, {@code delayed.rmse} and
 * {@code delayed.mae} for regression, and {@code delayed.count}. Their accumulators, under the same
 * prefix, travel next to the learner's in a version's metric state.
 */
public final class DelayedMetrics {
    public static final String PREFIX = "delayed.";
    private static final Set<String> REPORTED = Set.of("accuracy", "logloss", "rmse", "mae", "count");

    private final Metrics metrics;

    /** @param saved a metric state holding these accumulators under {@value #PREFIX} (others are ignored), or empty */
    public DelayedMetrics(Task task, Map<String, Double> saved) {
        Map<String, Double> own = new LinkedHashMap<>();
        saved.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                own.put(key.substring(PREFIX.length()), value);
            }
        });
        this.metrics = Metrics.create(task, own);
    }

    /** Records the prediction of margin {@code margin} the user got, for the label {@code y} that came later. */
    public void add(double margin, double y) {
        metrics.update(margin, y);
    }

    public long count() {
        return metrics.values().get("count").longValue();
    }

    /** The figures, prefixed; empty before the first label. */
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        if (count() > 0) {
            metrics.values().forEach((key, value) -> {
                if (REPORTED.contains(key)) {
                    values.put(PREFIX + key, value);
                }
            });
        }
        return values;
    }

    /** The accumulators, prefixed, to be kept with the learner's metric state. */
    public Map<String, Double> state() {
        Map<String, Double> state = new LinkedHashMap<>();
        metrics.state().forEach((key, value) -> state.put(PREFIX + key, value));
        return state;
    }
}
