package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Learner;
import dev.tributary.learn.drift.WarmStart;
import dev.tributary.model.MetricWindow;
import dev.tributary.model.Promotion;
import dev.tributary.schema.ModelSpec;

/**
 * A fresh learner trained alongside a model after a drift alert ({@code onDrift CHALLENGER}): same
 * spec, the model's scaler ({@link WarmStart}). Both are scored on each example before learning it,
 * into windows of the spec's promotion metric over the same examples; the challenger wins once it
 * has seen a whole window ({@code promotionWindow} examples) and its metric beats the model's by the
 * spec's {@code promotionMargin}. One that has not won after {@value #GIVE_UP_WINDOWS} windows gives
 * up (the alert was a false alarm, or the model adapted as fast).
 *
 * <pre>{@code
 * Challenger c = Challenger.start(spec, model);
 * double m = model.margin(x);
 * c.learn(x, y, model, m);   // before the model learns the example
 * model.learn(x, y);
 * if (c.wins()) { ... the challenger's learner takes over ... }
 * }</pre>
 */
public final class Challenger {
    public static final int GIVE_UP_WINDOWS = 10;

    private final Learner learner;
    private final MetricWindow mine;
    private final MetricWindow model;
    private final double margin;
    private long examples;

    private Challenger(Learner learner, Promotion.Metric metric, int window, double margin) {
        this.learner = learner;
        this.mine = new MetricWindow(metric, window);
        this.model = new MetricWindow(metric, window);
        this.margin = margin;
    }

    public static Challenger start(ModelSpec spec, Learner model) {
        return new Challenger(
                WarmStart.from(model.snapshot()),
                Promotion.metricOrDefault(spec),
                Promotion.windowOf(spec),
                spec.getPromotionMargin());
    }

    /** Scores the example with both (the model's margin is given), then trains the challenger on it. */
    public void learn(FeatureVector x, double y, Learner modelLearner, double modelMargin) {
        model.add(modelLearner, modelMargin, y);
        mine.add(learner, learner.margin(x), y);
        learner.learn(x, y);
        examples++;
    }

    /** Whether the challenger beat the model on the last window of examples by the margin. */
    public boolean wins() {
        if (examples < mine.capacity()) {
            return false;
        }
        double a = mine.value();
        double b = model.value();
        return mine.metric().higherIsBetter() ? a > b + margin : a < b - margin;
    }

    public boolean givesUp() {
        return examples >= (long) GIVE_UP_WINDOWS * mine.capacity();
    }

    public Learner learner() {
        return learner;
    }

    /** The challenger's window, which goes on with it when it takes over. */
    public MetricWindow window() {
        return mine;
    }

    /** The metric of the challenger and of the model over the same last examples. */
    public double value() {
        return mine.value();
    }

    public double modelValue() {
        return model.value();
    }

    public long examples() {
        return examples;
    }
}
