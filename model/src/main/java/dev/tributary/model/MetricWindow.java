package dev.tributary.model;

import dev.tributary.learn.ClassificationFigures;
import dev.tributary.learn.Learner;
import dev.tributary.schema.serde.Vectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The promotion metric over the last {@code capacity} training examples, each scored before the
 * learner learned it: a ring of per-example values (a hit for accuracy, the squared error for
 * RMSE, ...) and their running sum. It travels in the trainer's state, so it survives restarts
 * and rebalances. O(1) per example; not thread-safe.
 */
public final class MetricWindow {
    private final Promotion.Metric metric;
    private final double[] ring;
    /** The ring as little-endian float64 bytes, kept in step with it: {@link #toRecord} copies nothing. */
    private final ByteBuffer bytes;

    private int next;
    private int size;
    private double sum;

    public MetricWindow(Promotion.Metric metric, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a metric window holds at least 1 example, not " + capacity);
        }
        this.metric = metric;
        this.ring = new double[capacity];
        this.bytes = ByteBuffer.allocate(capacity * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A window continuing from a saved one. A saved window of another metric is dropped; one of
     * another capacity keeps its newest values that fit.
     */
    public static MetricWindow restore(Promotion.Metric metric, int capacity, dev.tributary.schema.MetricWindow saved) {
        MetricWindow w = new MetricWindow(metric, capacity);
        if (saved == null || !metric.key().equals(saved.getMetric())) {
            return w;
        }
        double[] values = Vectors.fromBytes(saved.getValues());
        int n = values.length;
        int savedSize = Math.min(Math.max(saved.getSize(), 0), n);
        int savedNext = n == 0 ? 0 : Math.floorMod(saved.getNext(), n);
        int keep = Math.min(savedSize, capacity);
        for (int i = keep; i > 0; i--) { // oldest kept first
            double v = values[Math.floorMod(savedNext - i, n)];
            if (Double.isFinite(v)) {
                w.push(v);
            }
        }
        return w;
    }

    public Promotion.Metric metric() {
        return metric;
    }

    /** Records how the learner did on one example, given the margin it predicted before learning it. */
    public void add(Learner learner, double margin, double y) {
        double value = valueOf(metric, learner.output(margin), learner.predictedClass(margin), y);
        if (Double.isFinite(value)) { // an overflowing prediction is not measured, as in the progressive metrics
            push(value);
        }
    }

    /**
     * One example's contribution to {@code metric}, from a prediction's output (the value a {@code
     * Prediction} carries) and class: a hit (1 or 0) for accuracy, the log loss, the squared error for
     * RMSE, the absolute error for MAE.
     */
    public static double valueOf(Promotion.Metric metric, double output, Integer predictedClass, double y) {
        return switch (metric) {
            case ACCURACY -> predictedClass != null && predictedClass == (y == 1.0 ? 1 : 0) ? 1.0 : 0.0;
            case LOGLOSS -> ClassificationFigures.logLoss(output, y);
            case RMSE -> (output - y) * (output - y);
            case MAE -> Math.abs(output - y);
        };
    }

    private void push(double value) {
        if (size == ring.length) {
            sum -= ring[next];
        } else {
            size++;
        }
        ring[next] = value;
        bytes.putDouble(next * Double.BYTES, value);
        sum += value;
        next++;
        if (next == ring.length) {
            next = 0;
            resum(); // once per lap: no drift from adding and subtracting
        }
    }

    private void resum() {
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += ring[i];
        }
        sum = s;
    }

    /** The metric over the window, NaN while it is empty. */
    public double value() {
        return size == 0 ? Double.NaN : metric.fromMean(Math.max(0.0, sum / size));
    }

    /** Examples in the window. */
    public int size() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    /**
     * The window as a record of the trainer state. Its values share this window's buffer: serialize
     * it (the state store does, on put) before the next {@link #add}.
     */
    public dev.tributary.schema.MetricWindow toRecord() {
        return new dev.tributary.schema.MetricWindow(
                metric.key(), bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).clear(), next, size);
    }
}
