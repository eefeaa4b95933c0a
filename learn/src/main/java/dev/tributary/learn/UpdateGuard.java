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
    /** The weights and the optimizer's per-weight vectors (neither is ever replaced), and their undo logs. */
    private final double[][] state;

    private final double[][] undo;
    private final double[] undoScalars;
    private double savedScale;
    private double savedMix;
    private double savedBias;
    private double savedNormSq;

    UpdateGuard(Weights w, Optimizer optimizer) {
        this.w = w;
        this.optimizer = optimizer;
        this.undo = new double[1 + optimizer.vectors.length][0];
        this.state = new double[undo.length][];
        state[0] = w.v;
        System.arraycopy(optimizer.vectors, 0, state, 1, optimizer.vectors.length);
        this.undoScalars = new double[optimizer.scalars.length];
    }

    /** Room for examples of {@code size} entries. */
    void ensureCapacity(int size) {
        for (int a = 0; a < undo.length; a++) {
            if (undo[a].length < size) {
                undo[a] = new double[size];
            }
        }
    }

    void save(FeatureVector x) {
        int n = x.size();
        int[] indices = x.indices();
        int prefix = x.densePrefix(n);
        for (int a = 0; a < undo.length; a++) {
            double[] from = state[a];
            double[] to = undo[a];
            // The dense prefix (entry k has index k) is a plain copy; the other entries one by one.
            int dense = Math.min(prefix, from.length);
            for (int k = 0; k < dense; k++) {
                to[k] = from[k];
            }
            for (int k = dense; k < n; k++) {
                int i = indices[k];
                if (i < from.length) {
                    to[k] = from[i];
                }
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

    void undo(FeatureVector x) {
        int[] indices = x.indices();
        for (int a = 0; a < undo.length; a++) {
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
        for (int a = 0; a < undo.length; a++) {
            double[] values = state[a];
            int dense = Math.min(prefix, values.length);
            if (!allFinite(values, dense)) {
                return false;
            }
            for (int k = dense; k < n; k++) {
                int i = indices[k];
                if (i < values.length && !Double.isFinite(values[i])) {
                    return false;
                }
            }
        }
        return allFinite(optimizer.scalars, optimizer.scalars.length);
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
