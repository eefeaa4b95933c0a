package dev.tributary.learn;

import java.util.Map;

/**
 * ROC AUC over a stream in bounded memory: the margins of each class counted in fixed-width bins,
 * and the AUC read off the two histograms (the Mann–Whitney statistic, a positive and a negative
 * in the same bin counting one half). Margins beyond the range fall in the end bins. With bins
 * a quarter of a margin unit wide the figure is within about 0.01 of the exact AUC on ordinary
 * data; a finer grid is closer.
 *
 * <pre>{@code
 * RunningAuc auc = RunningAuc.standard();
 * auc.add(learner.margin(x), y);     // before learning x
 * double figure = auc.value();        // NaN until both classes have been seen
 * }</pre>
 */
public final class RunningAuc {

    private final double low;
    private final double width;
    private final long[] positives;
    private final long[] negatives;

    /**
     * @param bins  how many bins
     * @param range margins in [-range, range] are binned exactly; beyond, they fall in the end bins
     */
    public RunningAuc(int bins, double range) {
        if (bins < 2 || !(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("need at least 2 bins and a finite range > 0");
        }
        this.low = -range;
        this.width = 2 * range / bins;
        this.positives = new long[bins];
        this.negatives = new long[bins];
    }

    /** 64 bins of width 0.25 over margins [-8, 8]: what a model version carries. */
    public static RunningAuc standard() {
        return new RunningAuc(64, 8);
    }

    /** Counts a margin predicted for an example of label {@code y} (1 positive, anything else negative). */
    public void add(double margin, double y) {
        double position = (margin - low) / width;
        // floor and clamp in one: truncation is the floor from 0 up; below 0 (or NaN) is bin 0.
        int last = positives.length - 1;
        int bin = position >= last ? last : position > 0 ? (int) position : 0;
        if (y == 1.0) {
            positives[bin]++;
        } else {
            negatives[bin]++;
        }
    }

    /** Adds another tally's counts to this one's; both must have the same bins. */
    public void addAll(RunningAuc other) {
        if (other.positives.length != positives.length
                || Double.compare(other.low, low) != 0
                || Double.compare(other.width, width) != 0) {
            throw new IllegalArgumentException("the two tallies have different bins");
        }
        for (int k = 0; k < positives.length; k++) {
            positives[k] += other.positives[k];
            negatives[k] += other.negatives[k];
        }
    }

    /** The AUC of the margins counted so far; NaN while one class is absent. */
    public double value() {
        double below = 0;
        double sum = 0;
        long p = 0;
        long n = 0;
        for (int k = 0; k < positives.length; k++) {
            sum += positives[k] * (below + 0.5 * negatives[k]);
            below += negatives[k];
            p += positives[k];
            n += negatives[k];
        }
        return p == 0 || n == 0 ? Double.NaN : sum / ((double) p * n);
    }

    /** Writes the non-zero counts as {@code prefix + "pos." + bin} and {@code prefix + "neg." + bin}. */
    void save(Map<String, Double> state, String prefix) {
        for (int k = 0; k < positives.length; k++) {
            if (positives[k] > 0) {
                state.put(prefix + "pos." + k, (double) positives[k]);
            }
            if (negatives[k] > 0) {
                state.put(prefix + "neg." + k, (double) negatives[k]);
            }
        }
    }

    /** Reads what {@link #save} wrote; absent bins are empty. */
    void load(Map<String, Double> state, String prefix) {
        for (int k = 0; k < positives.length; k++) {
            positives[k] = count(state.get(prefix + "pos." + k));
            negatives[k] = count(state.get(prefix + "neg." + k));
        }
    }

    private static long count(Double v) {
        if (v == null) {
            return 0;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("an AUC bin count is " + v);
        }
        return v.longValue();
    }
}
