package dev.tributary.learn;

/**
 * The undo log of one guarded update: before the optimizer touches the weights, the entries of
 * the example's features (in the weights and in every per-weight optimizer vector), the optimizer's
 * scalars and the weights' scale, mix, bias and norm are saved; an update that leaves a touched
 * value non-finite or the weight norm above its bound is undone from them. Only the touched entries
 * are saved, so a guarded update costs O(features of the example), not O(dimension).
 *
 * <pre>{@code
 * UpdateGuard guard = new UpdateGuard(w, optimizer);
 * guard.ensureCapacity(x.size());
 * guard.save(x);
 * optimizer.update(w, x, xs, m, y, loss, labelScale);
 * if (!guard.acceptable(x, 1e6)) guard.undo(x);
 * }</pre>
 */
final class UpdateGuard {
    private final Weights w;
    private final Optimizer optimizer;
    /**
     * The weights and the optimizer's per-weight vectors (neither is ever replaced), and their undo logs, in
     * groups of {@value #GROUP}: the dense prefix of a group is copied and checked in one loop, which costs
     * little more than a loop over one array. A group is filled up with a spare array that is its own undo log.
     */
    private final double[][] state;

    private final double[][] undo;
    private static final int GROUP = 4;
    private final int arrays;
    private final double[] undoScalars;
    private double savedScale;
    private double savedMix;
    private double savedBias;
    private double savedNormSq;

    UpdateGuard(Weights w, Optimizer optimizer) {
        this.w = w;
        this.optimizer = optimizer;
        this.arrays = 1 + optimizer.vectors.length;
        int padded = (arrays + GROUP - 1) / GROUP * GROUP;
        this.undo = new double[padded][0];
        this.state = new double[padded][0];
        state[0] = w.v;
        System.arraycopy(optimizer.vectors, 0, state, 1, optimizer.vectors.length);
        this.undoScalars = new double[optimizer.scalars.length];
    }

    /** Room for examples of {@code size} entries. */
    void ensureCapacity(int size) {
        for (int a = 0; a < arrays; a++) {
            if (undo[a].length < size) {
                undo[a] = new double[size];
            }
        }
        if (arrays < undo.length && undo[arrays].length < size) {
            double[] spare = new double[size];
            for (int a = arrays; a < undo.length; a++) {
                state[a] = spare;
                undo[a] = spare;
            }
        }
    }

    void save(FeatureVector x) {
        int n = x.size();
        int[] indices = x.indices();
        int prefix = x.densePrefix(n);
        for (int a = 0; a < state.length; a += GROUP) {
            double[] from0 = state[a];
            double[] from1 = state[a + 1];
            double[] from2 = state[a + 2];
            double[] from3 = state[a + 3];
            double[] to0 = undo[a];
            double[] to1 = undo[a + 1];
            double[] to2 = undo[a + 2];
            double[] to3 = undo[a + 3];
            // The dense prefix (entry k has index k) is a plain copy; the other entries one by one.
            int dense = denseLength(prefix, from0, from1, from2, from3);
            for (int k = 0; k < dense; k++) {
                to0[k] = from0[k];
                to1[k] = from1[k];
                to2[k] = from2[k];
                to3[k] = from3[k];
            }
            for (int b = a; dense < n && b < a + GROUP; b++) {
                saveEntries(state[b], undo[b], indices, dense, n);
            }
        }
        for (int j = 0; j < undoScalars.length; j++) {
            undoScalars[j] = optimizer.scalars[j];
        }
        savedScale = w.scale;
        savedMix = w.mix;
        savedBias = w.bias;
        savedNormSq = w.rawNormSq();
    }

    /** The length of the dense prefix that lies within all four arrays. */
    private static int denseLength(int prefix, double[] a0, double[] a1, double[] a2, double[] a3) {
        return Math.min(prefix, Math.min(Math.min(a0.length, a1.length), Math.min(a2.length, a3.length)));
    }

    /** Saves the entries {@code start..n-1} of an example one by one, those whose index lies within {@code from}. */
    private static void saveEntries(double[] from, double[] to, int[] indices, int start, int n) {
        for (int k = start; k < n; k++) {
            int i = indices[k];
            if (i < from.length) {
                to[k] = from[i];
            }
        }
    }

    void undo(FeatureVector x) {
        int[] indices = x.indices();
        for (int a = 0; a < arrays; a++) {
            double[] to = state[a];
            double[] from = undo[a];
            // Backwards, so that for a repeated index the oldest value wins.
            for (int k = x.size() - 1; k >= 0; k--) {
                int i = indices[k];
                if (i < to.length) {
                    to[i] = from[k];
                }
            }
        }
        System.arraycopy(undoScalars, 0, optimizer.scalars, 0, undoScalars.length);
        w.restoreRaw(savedScale, savedMix, savedBias, savedNormSq);
    }

    /**
     * Whether the update just made keeps every touched value finite and, unless the optimizer bounds
     * the weights itself, the weight norm at most {@code normBound}.
     */
    boolean acceptable(FeatureVector x, double normBound) {
        return touchedFinite(x) && withinBound(normBound);
    }

    /** Whether the update just made keeps every touched value, the optimizer's scalars and the weights' scale, mix and bias finite. */
    boolean touchedFinite(FeatureVector x) {
        if (!(w.scale > 0) || Double.isInfinite(w.scale) || !Double.isFinite(w.mix) || !Double.isFinite(w.bias)) {
            return false;
        }
        int n = x.size();
        int[] indices = x.indices();
        int prefix = x.densePrefix(n);
        for (int a = 0; a < state.length; a += GROUP) {
            double[] values0 = state[a];
            double[] values1 = state[a + 1];
            double[] values2 = state[a + 2];
            double[] values3 = state[a + 3];
            int dense = denseLength(prefix, values0, values1, values2, values3);
            // v * 0 is 0 for a finite v and NaN otherwise.
            double zero = 0;
            for (int k = 0; k < dense; k++) {
                zero += values0[k] * 0.0 + values1[k] * 0.0 + values2[k] * 0.0 + values3[k] * 0.0;
            }
            if (zero != 0) {
                return false;
            }
            for (int b = a; dense < n && b < a + GROUP; b++) {
                if (!entriesFinite(state[b], indices, dense, n)) {
                    return false;
                }
            }
        }
        return allFinite(optimizer.scalars, optimizer.scalars.length);
    }

    /** Whether the entries {@code start..n-1} of an example are finite, those whose index lies within {@code values}. */
    private static boolean entriesFinite(double[] values, int[] indices, int start, int n) {
        for (int k = start; k < n; k++) {
            int i = indices[k];
            if (i < values.length && !Double.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    /** Unless the optimizer bounds the weights itself, whether the weight norm is at most {@code normBound}. */
    boolean withinBound(double normBound) {
        if (optimizer.boundedByConstruction()) {
            return true;
        }
        double normSq = w.normSq();
        return normSq <= normBound * normBound;
    }

    /** Whether {@code values[0..n)} are all finite: {@code v * 0} is 0 for a finite v and NaN otherwise. */
    private static boolean allFinite(double[] values, int n) {
        double zero = 0;
        for (int k = 0; k < n; k++) {
            zero += values[k] * 0.0;
        }
        return zero == 0;
    }
}
