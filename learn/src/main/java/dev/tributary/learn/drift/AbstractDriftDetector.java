package dev.tributary.learn.drift;

/**
 * What every detector keeps the same way: it refuses values that are not finite, counts the
 * values it has seen and remembers the means on either side of the last change it found.
 * Subclasses test each value in {@link #test} and report a change through {@link #changed}.
 */
abstract class AbstractDriftDetector implements DriftDetector {
    private final String name;
    private final String displayName;
    private long count;
    private double meanBefore = Double.NaN;
    private double meanAfter = Double.NaN;

    /**
     * @param name the name a spec gives the detector
     * @param displayName the name messages give it
     */
    AbstractDriftDetector(String name, String displayName) {
        this.name = name;
        this.displayName = displayName;
    }

    @Override
    public final boolean update(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(displayName + " takes finite values, not " + x);
        }
        count++;
        return test(x);
    }

    /** Takes one finite value, already counted; true when it completes the evidence of a change. */
    abstract boolean test(double x);

    /** Records the means of the values before and after the change just found. */
    final void changed(double before, double after) {
        meanBefore = before;
        meanAfter = after;
    }

    @Override
    public final long count() {
        return count;
    }

    @Override
    public final double meanBefore() {
        return meanBefore;
    }

    @Override
    public final double meanAfter() {
        return meanAfter;
    }

    @Override
    public final String name() {
        return name;
    }
}
