package dev.tributary.learn;

/**
 * The featureless baseline of a binary stream: P(y = 1) as the positive rate of the recent
 * labels. Over the first {@code window} labels it is {@code (n₁ + ½)/(n + 1)}; after that each label
 * moves it by {@code 1/(window + 1)} of the way, an exponential average over about {@code window}
 * labels. Its log loss is what a model must beat to have learnt anything from the features: on
 * an imbalanced stream whose positive rate moves, the accuracy of the majority class says little,
 * this says how much the features add.
 *
 * <pre>{@code
 * RunningPrior prior = new RunningPrior(RunningPrior.WINDOW);
 * double loss = prior.logLoss(y);   // the loss of its prediction for this label, then
 * prior.add(y);                      // it learns the label
 * }</pre>
 */
public final class RunningPrior {

    /** The default window: a thousand labels. */
    public static final int WINDOW = 1000;

    private final int window;
    private double p = 0.5;
    private long count;

    public RunningPrior(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.window = window;
    }

    /** P(y = 1) before the next label. */
    public double probability() {
        return p;
    }

    /** The log loss of {@link #probability()} for label {@code y} (0 or 1), clipped as the learners clip it. */
    public double logLoss(double y) {
        return ClassificationFigures.logLoss(p, y);
    }

    public void add(double y) {
        p += ((y == 1.0 ? 1.0 : 0.0) - p) / (Math.min(count, window) + 2.0);
        count++;
    }

    long count() {
        return count;
    }

    void set(double probability, long labels) {
        if (!(probability >= 0 && probability <= 1) || labels < 0) {
            throw new IllegalArgumentException("prior state is invalid: p " + probability + ", count " + labels);
        }
        p = probability;
        count = labels;
    }
}
