package dev.tributary.learn.drift;

import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerState;
import dev.tributary.learn.Learners;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh learner that starts from what another has seen of the inputs, not from what it learned:
 * zero weights and bias, a fresh optimizer and metrics, but the same scaler (means and variances of
 * the features) and, for regression, the same label statistics the weight guard uses. After a drift
 * the features' scales usually still hold while the relation to the label does not.
 *
 * <pre>{@code
 * Learner challenger = WarmStart.from(model.snapshot());
 * challenger.learn(x, y);
 * }</pre>
 */
public final class WarmStart {
    private static final String LABEL_PREFIX = "label.";

    private WarmStart() {}

    public static Learner from(LearnerState s) {
        Map<String, Double> label = new HashMap<>();
        s.optimizerScalars().forEach((k, v) -> {
            if (k.startsWith(LABEL_PREFIX)) {
                label.put(k, v);
            }
        });
        return Learners.restore(new LearnerState(
                s.config(),
                new double[s.weights().length],
                0.0,
                s.scalerMean().clone(),
                s.scalerM2().clone(),
                s.scalerCount(),
                Map.of(),
                label,
                0,
                0,
                Map.of()));
    }
}
