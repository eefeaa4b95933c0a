package dev.tributary.learn;

/** Welford's running count, mean and sum of squared deviations of one variable. */
final class RunningStats {

    long count;
    double mean;
    double m2;

    /** Adds x; returns false, changing nothing, if the statistics would stop being finite. */
    boolean add(double x) {
        long next = count + 1;
        double delta = x - mean;
        double nextMean = mean + delta / next;
        double nextM2 = m2 + delta * (x - nextMean);
        if (!Double.isFinite(nextMean) || !Double.isFinite(nextM2)) {
            return false;
        }
        count = next;
        mean = nextMean;
        m2 = nextM2;
        return true;
    }

    /** Population variance (0 before two values). */
    double variance() {
        return count > 0 ? m2 / count : 0.0;
    }

    /** Root mean square of the values seen: sqrt(mean² + variance). */
    double rms() {
        return Math.hypot(mean, Math.sqrt(variance()));
    }

    void set(long count, double mean, double m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }
}
