package dev.tributary.learn;

import java.util.Arrays;
import java.util.Objects;

/**
 * A reusable sparse vector of (index, value) entries. Numeric features come first (index
 * {@code i} is the i-th numeric feature), then hashed categorical buckets at
 * {@code numericCount + bucket}. There is no bias entry: the bias is separate. Allocate one per
 * thread and {@link #clear()} it for every event; it grows only if more entries than its capacity
 * are added. Not thread-safe.
 *
 * <pre>{@code
 * FeatureVector x = new FeatureVector(2);
 * x.add(0, 1.5);   // first numeric feature
 * x.add(1, -2.0);  // second numeric feature
 * double m = learner.margin(x);
 * x.clear();       // reuse for the next event
 * }</pre>
 */
public final class FeatureVector {

    private int[] indices;
    private double[] values;
    private int size;
    /** How many leading entries have their own position as index, kept as entries are added. */
    private int dense;

    public FeatureVector(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        indices = new int[Math.max(capacity, 1)];
        values = new double[indices.length];
    }

    /** Removes all entries; keeps the storage. */
    public void clear() {
        size = 0;
        dense = 0;
    }

    /** Appends an entry. Indices are not de-duplicated: a repeated index counts as the sum of its values. */
    public void add(int index, double value) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (size == indices.length) {
            indices = Arrays.copyOf(indices, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        indices[size] = index;
        values[size] = value;
        if (dense == size && index == size) {
            dense++;
        }
        size++;
    }

    public int size() {
        return size;
    }

    /** Index (weight position) of the i-th entry. */
    public int index(int i) {
        Objects.checkIndex(i, size);
        return indices[i];
    }

    /** Value of the i-th entry. */
    public double value(int i) {
        Objects.checkIndex(i, size);
        return values[i];
    }

    /** The indices array itself: entry i's index at position i, for i below {@link #size()}; for reading only. */
    int[] indices() {
        return indices;
    }

    /**
     * How many leading entries have their own position as index (entry k has index k): the dense numeric
     * prefix, which loops can read as plain arrays.
     */
    int densePrefix(int limit) {
        return Math.min(dense, limit);
    }

    /** The values array itself: entry i's value at position i, for i below {@link #size()}; for reading only. */
    double[] values() {
        return values;
    }

    /** Adds {@code delta} to the value of the i-th entry (used to merge hash collisions). */
    void addToValue(int i, double delta) {
        Objects.checkIndex(i, size);
        values[i] += delta;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FeatureVector{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(indices[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
