package dev.tributary.learn.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * ADWIN (ADaptive WINdowing, Bifet and Gavaldà 2007) as MOA and River implement it: a window of the
 * recent values, compressed into an exponential histogram (at most {@value #MAX_BUCKETS} buckets of
 * each size 1, 2, 4, …), is cut wherever its older and newer parts have means further apart than
 * the bound ε(δ) allows; the older part is dropped. Cuts are tested every {@value #CLOCK} values
 * once the window holds more than {@value #MIN_WINDOW} values. Memory and time per value grow with
 * the logarithm of the window. At a detection, {@link #meanBefore} is the mean of the values dropped
 * and {@link #meanAfter} that of the window kept, which may still hold a few values from before the
 * change (later cuts drop them).
 *
 * <pre>{@code
 * Adwin adwin = new Adwin(0.002);
 * for (int i = 0; i < 2_000; i++) {
 *   if (adwin.update(i < 1_000 ? 0.2 : 0.8)) {
 *     System.out.printf("drift at %d: %.1f -> %.1f%n", adwin.count(), adwin.meanBefore(), adwin.meanAfter());
 *   }
 * }
 * // drift at 1024: 0.2 -> 0.3, at 1056: 0.2 -> 0.6, at 1152: 0.4 -> 0.8 (the window sheds the old values)
 * }</pre>
 */
public final class Adwin extends AbstractDriftDetector {
    public static final String NAME = "adwin";
    public static final double DEFAULT_DELTA = 0.002;
    static final int MAX_BUCKETS = 5;
    static final int CLOCK = 32;
    static final int MIN_WINDOW = 10;
    /** Each side of a cut holds more than this many values plus one. */
    static final int MIN_SUB_WINDOW = 5;

    private final double delta;
    /** rows.get(i) holds buckets of 2^i values, oldest first; higher rows are older. */
    private final List<Row> rows = new ArrayList<>();

    private long width;
    private double total;
    /** Sum of squared deviations from the window's mean. */
    private double variance;

    private static final class Row {
        final double[] totals = new double[MAX_BUCKETS + 1];
        final double[] variances = new double[MAX_BUCKETS + 1];
        int size;

        void add(double t, double v) {
            totals[size] = t;
            variances[size] = v;
            size++;
        }

        void removeOldest(int k) {
            System.arraycopy(totals, k, totals, 0, size - k);
            System.arraycopy(variances, k, variances, 0, size - k);
            size -= k;
        }
    }

    /** @param delta the confidence: a smaller δ needs more evidence for a cut (0 &lt; δ &lt; 1) */
    public Adwin(double delta) {
        super(NAME, "ADWIN");
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("ADWIN needs 0 < delta < 1, not " + delta);
        }
        this.delta = delta;
    }

    @Override
    boolean test(double x) {
        insert(x);
        return count() % CLOCK == 0 && width > MIN_WINDOW && reduce();
    }

    private void insert(double x) {
        width++;
        if (width > 1) {
            double d = x - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += x;
        if (rows.isEmpty()) {
            rows.add(new Row());
        }
        rows.get(0).add(x, 0);
        for (int i = 0; i < rows.size() && rows.get(i).size > MAX_BUCKETS; i++) {
            Row row = rows.get(i);
            double n = Math.pow(2, i);
            double d = (row.totals[0] - row.totals[1]) / n;
            double merged = row.variances[0] + row.variances[1] + n * n * d * d / (2 * n);
            double mergedTotal = row.totals[0] + row.totals[1];
            row.removeOldest(2);
            if (i + 1 == rows.size()) {
                rows.add(new Row());
            }
            rows.get(i + 1).add(mergedTotal, merged);
        }
    }

    /** Drops the oldest bucket. */
    private void dropOldest() {
        int last = rows.size() - 1;
        Row row = rows.get(last);
        double n = Math.pow(2, last);
        double t = row.totals[0];
        width -= (long) n;
        total -= t;
        if (width > 0) {
            double d = t / n - total / width;
            variance -= row.variances[0] + n * width * d * d / (n + width);
        } else {
            variance = 0;
        }
        row.removeOldest(1);
        if (row.size == 0) {
            rows.remove(last);
        }
    }

    /** Cuts the window while some split of it shows a change; true if it cut. */
    private boolean reduce() {
        long droppedCount = 0;
        double droppedTotal = 0;
        boolean cut = true;
        while (cut) {
            cut = false;
            double n0 = 0;
            double u0 = 0;
            double n1 = width;
            double u1 = total;
            scan:
            for (int i = rows.size() - 1; i >= 0; i--) {
                Row row = rows.get(i);
                double n2 = Math.pow(2, i);
                for (int k = 0; k < row.size; k++) {
                    n0 += n2;
                    n1 -= n2;
                    u0 += row.totals[k];
                    u1 -= row.totals[k];
                    if (i == 0 && k == row.size - 1) {
                        break scan;
                    }
                    if (n0 > MIN_SUB_WINDOW + 1 && n1 > MIN_SUB_WINDOW + 1 && separated(n0, n1, u0 / n0 - u1 / n1)) {
                        long before = width;
                        double beforeTotal = total;
                        dropOldest();
                        droppedCount += before - width;
                        droppedTotal += beforeTotal - total;
                        cut = width > 0;
                        break scan;
                    }
                }
            }
        }
        if (droppedCount == 0) {
            return false;
        }
        changed(droppedTotal / droppedCount, width > 0 ? total / width : Double.NaN);
        return true;
    }

    /** The ADWIN bound with the window's variance (MOA's {@code blnCutexpression}). */
    private boolean separated(double n0, double n1, double difference) {
        double v = variance / width;
        double dd = Math.log(2 * Math.log(width) / delta);
        double m = 1 / (n0 - MIN_SUB_WINDOW + 1) + 1 / (n1 - MIN_SUB_WINDOW + 1);
        double epsilon = Math.sqrt(2 * m * v * dd) + 2.0 / 3 * dd * m;
        return Math.abs(difference) > epsilon;
    }

    /** Values in the window now: those since the last change it found. */
    public long width() {
        return width;
    }

    /** The mean of the window. */
    public double mean() {
        return width > 0 ? total / width : Double.NaN;
    }
}
