package dev.tributary.learn.drift;

/**
 * A detector that reports only the changes that raised the mean: watching a model's error, a drop
 * (the model learning) is no alarm. The wrapped detector still adapts to every change it finds.
 *
 * <pre>{@code
 * DriftDetector errors = new Increases(DriftDetector.adwin());
 * errors.update(misclassified ? 1 : 0);   // true only when the error rate went up
 * }</pre>
 */
public final class Increases implements DriftDetector {
    private final DriftDetector detector;

    public Increases(DriftDetector detector) {
        this.detector = detector;
    }

    @Override
    public boolean update(double x) {
        return detector.update(x) && detector.meanAfter() > detector.meanBefore();
    }

    @Override
    public long count() {
        return detector.count();
    }

    @Override
    public double meanBefore() {
        return detector.meanBefore();
    }

    @Override
    public double meanAfter() {
        return detector.meanAfter();
    }

    @Override
    public String name() {
        return detector.name();
    }
}
