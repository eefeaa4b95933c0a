package dev.tributary.learn;

import java.util.Arrays;

/**
 * Online standardisation of the numeric features: Welford mean and sum of squared deviations
 * per feature, {@code x̃ = (x - mean) / std} with the population std (0 when the std is 0).
 */
final class StandardScaler {

    double[] mean;
    double[] m2;
    long count;
    private double[] invStd;
    private double bound = 3.0;
    // The statistics before the last update: an update writes the next statistics here and swaps the two
    // sets, so keeping the previous ones costs no copy.
    private double[] previousMean;
    private double[] previousM2;
    private double[] previousInvStd;
    private long previousCount;

    StandardScaler(int n) {
        mean = new double[n];
        m2 = new double[n];
        invStd = new double[n];
        previousMean = new double[n];
        previousM2 = new double[n];
        previousInvStd = new double[n];
    }

    int size() {
        return mean.length;
    }

    /**
     * The standardised value, bounded by ±max(3, √count): a std estimated from a handful of
     * examples can be near zero, and one early example would then get a huge value and wreck the
     * weights. Once count is in the hundreds the bound no longer touches ordinary values.
     */
    double transform(int i, double x) {
        return bounded(standardized(i, x));
    }

    /** The standardised value before the bound: how many standard deviations x lies from the mean, signed. */
    double standardized(int i, double x) {
        return (x - mean[i]) * invStd[i];
    }

    /** {@code z} within the bound of {@link #transform}. */
    double bounded(double z) {
        // The same as max(-bound, min(bound, z)), NaN and -0.0 included, with branches that rarely go the other way.
        return z > bound ? bound : z < -bound ? -bound : z;
    }

    /**
     * Adds one example whose first {@code size()} entries are the numeric features in order.
     * Returns false, changing nothing, if the statistics would stop being finite.
     */
    boolean update(FeatureVector x) {
        int n = mean.length;
        double[] nextMean = previousMean;
        double[] nextM2 = previousM2;
        double[] nextInvStd = previousInvStd;
        long next = count + 1;
        double nextCount = next;
        // One plain loop over arrays, without branches, so the JIT can vectorize its divisions and square
        // roots; the checks follow it.
        double[] values = x.values();
        double inverseCount = 1.0 / nextCount; // one division, then multiplications
        for (int i = 0; i < n; i++) {
            double v = values[i];
            double delta = v - mean[i];
            nextMean[i] = mean[i] + delta * inverseCount;
            nextM2[i] = m2[i] + delta * (v - nextMean[i]);
            nextInvStd[i] = 1.0 / Math.sqrt(nextM2[i] * inverseCount);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(nextMean[i]) || !Double.isFinite(nextM2[i])) {
                return false;
            }
            if (!(nextM2[i] > 0) || !Double.isFinite(nextInvStd[i])) {
                nextInvStd[i] = 0.0;
            }
        }
        swap();
        previousCount = count;
        count = next;
        bound = Math.max(3.0, Math.sqrt(nextCount));
        return true;
    }

    /** Takes back the last successful {@link #update} (once, and only right after it). */
    void undo() {
        swap();
        count = previousCount;
        bound = Math.max(3.0, Math.sqrt(count));
    }

    /** Exchanges the current statistics with the previous ones. */
    private void swap() {
        double[] swapMean = mean;
        mean = previousMean;
        previousMean = swapMean;
        double[] swapM2 = m2;
        m2 = previousM2;
        previousM2 = swapM2;
        double[] swapInvStd = invStd;
        invStd = previousInvStd;
        previousInvStd = swapInvStd;
    }

    void load(double[] newMean, double[] newM2, long newCount) {
        System.arraycopy(newMean, 0, mean, 0, mean.length);
        System.arraycopy(newM2, 0, m2, 0, m2.length);
        count = newCount;
        refresh();
    }

    private void refresh() {
        bound = Math.max(3.0, Math.sqrt(count));
        double inverseCount = 1.0 / count;
        for (int i = 0; i < mean.length; i++) {
            invStd[i] = inverseStd(m2[i], count, inverseCount);
        }
    }

    /** As {@link #update} computes it, so a restored scaler continues bit for bit. */
    private static double inverseStd(double m2, long count, double inverseCount) {
        double inverse = m2 > 0 && count > 0 ? 1.0 / Math.sqrt(m2 * inverseCount) : 0.0;
        return Double.isFinite(inverse) ? inverse : 0.0;
    }

    @Override
    public String toString() {
        return "StandardScaler{count=" + count + ", mean=" + Arrays.toString(mean) + "}";
    }
}
