package dev.tributary.learn.drift;

/**
 * A concept drift detector over one stream of numbers, typically a model's per-event error: feed
 * it each value, and it says when the stream's mean has changed.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.of("adwin");
 * for (double error : errors) {
 *   if (detector.update(error)) {
 *     System.out.printf("drift after %d values: %.3f -> %.3f%n", detector.count(), detector.meanBefore(),
 *         detector.meanAfter());
 *   }
 * }
 * }</pre>
 *
 * Implementations are not thread-safe: one detector watches one stream.
 */
public interface DriftDetector {
    /** Adds one value; true when this value completes the evidence of a change. */
    boolean update(double x);

    /** The values seen since the detector started (all of them, not only those in its window). */
    long count();

    /** The mean of the values before the change the last detection found (NaN before any detection). */
    double meanBefore();

    /** The mean of the values after the change the last detection found, up to the detection (NaN before any). */
    double meanAfter();

    /** The detector's name, as a model spec names it. */
    String name();

    /** ADWIN at δ 0.002, as River and MOA default it. */
    static DriftDetector adwin() {
        return new Adwin(Adwin.DEFAULT_DELTA);
    }

    /** Page-Hinkley at δ 0.005, λ 50, α 0.9999 (30 values before a first test), as River and MOA default it. */
    static DriftDetector pageHinkley() {
        return new PageHinkley(
                PageHinkley.DEFAULT_DELTA,
                PageHinkley.DEFAULT_LAMBDA,
                PageHinkley.DEFAULT_ALPHA,
                PageHinkley.DEFAULT_MIN_INSTANCES);
    }

    /**
     * The detector a spec names, at its defaults: {@code adwin} or {@code page-hinkley}.
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    static DriftDetector of(String name) {
        return switch (name) {
            case Adwin.NAME -> adwin();
            case PageHinkley.NAME -> pageHinkley();
            default ->
                throw new IllegalArgumentException(
                        "unknown drift detector '" + name + "': use " + Adwin.NAME + " or " + PageHinkley.NAME);
        };
    }
}
