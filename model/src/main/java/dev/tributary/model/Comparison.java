package dev.tributary.model;

/**
 * A shadow version next to the serving version on the same labelled events, over the last {@code
 * capacity} of them: each one's metric, how often they predict the same class, and the difference
 * (shadow − serving) with a 95 % confidence interval from the paired per-event values (normal
 * approximation; for RMSE the interval is on the mean squared error). O(1) per event; not
 * thread-safe.
 *
 * <pre>{@code
 * Comparison c = new Comparison(Promotion.Metric.ACCURACY, 1000);
 * c.add(shadow.getValue(), shadow.getPredictedClass(), served.getValue(), served.getPredictedClass(), label);
 * c.shadowMetric();  c.servingMetric();  c.agreement();  c.difference();  c.ciLow();  c.ciHigh();
 * }</pre>
 */
public final class Comparison {
    private static final double Z95 = 1.959964;

    private final Promotion.Metric metric;
    private final double[] shadow;
    private final double[] serving;
    private final boolean[] agree;
    private int next;
    private int size;
    private long total;
    private double sumShadow;
    private double sumServing;
    private double sumDiffSq;
    private int agreements;

    public Comparison(Promotion.Metric metric, int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a comparison window holds at least 2 events, not " + capacity);
        }
        this.metric = metric;
        this.shadow = new double[capacity];
        this.serving = new double[capacity];
        this.agree = new boolean[capacity];
    }

    /** One labelled event as both versions predicted it (output and class, as a prediction carries them). */
    public void add(double shadowOutput, Integer shadowClass, double servingOutput, Integer servingClass, double y) {
        double a = MetricWindow.valueOf(metric, shadowOutput, shadowClass, y);
        double b = MetricWindow.valueOf(metric, servingOutput, servingClass, y);
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return;
        }
        boolean same = shadowClass != null && shadowClass.equals(servingClass);
        if (size == shadow.length) {
            sumShadow -= shadow[next];
            sumServing -= serving[next];
            sumDiffSq -= (shadow[next] - serving[next]) * (shadow[next] - serving[next]);
            agreements -= agree[next] ? 1 : 0;
        } else {
            size++;
        }
        shadow[next] = a;
        serving[next] = b;
        agree[next] = same;
        sumShadow += a;
        sumServing += b;
        sumDiffSq += (a - b) * (a - b);
        agreements += same ? 1 : 0;
        total++;
        next = (next + 1) % shadow.length;
        if (next == 0) {
            resum(); // once per lap: no drift from adding and subtracting
        }
    }

    private void resum() {
        sumShadow = 0;
        sumServing = 0;
        sumDiffSq = 0;
        for (int i = 0; i < size; i++) {
            sumShadow += shadow[i];
            sumServing += serving[i];
            sumDiffSq += (shadow[i] - serving[i]) * (shadow[i] - serving[i]);
        }
    }

    public Promotion.Metric metric() {
        return metric;
    }

    /** Events in the window. */
    public int size() {
        return size;
    }

    /** Events compared since the start, in the window or not. */
    public long total() {
        return total;
    }

    public double shadowMetric() {
        return size == 0 ? Double.NaN : metric.fromMean(sumShadow / size);
    }

    public double servingMetric() {
        return size == 0 ? Double.NaN : metric.fromMean(sumServing / size);
    }

    /** The share of the window's events both versions gave the same class; NaN for regression or an empty window. */
    public double agreement() {
        return size == 0 || metric == Promotion.Metric.RMSE || metric == Promotion.Metric.MAE
                ? Double.NaN
                : (double) agreements / size;
    }

    /** Events of the window both versions gave the same class. */
    public int agreements() {
        return agreements;
    }

    /** shadow − serving, in the metric's units. */
    public double difference() {
        return shadowMetric() - servingMetric();
    }

    /** The mean per-event difference, the centre of the interval. */
    public double meanDifference() {
        return size == 0 ? Double.NaN : (sumShadow - sumServing) / size;
    }

    public double ciLow() {
        return meanDifference() - halfWidth();
    }

    public double ciHigh() {
        return meanDifference() + halfWidth();
    }

    private double halfWidth() {
        if (size < 2) {
            return Double.NaN;
        }
        double mean = meanDifference();
        double variance = Math.max(0, (sumDiffSq - size * mean * mean) / (size - 1));
        return Z95 * Math.sqrt(variance / size);
    }
}
