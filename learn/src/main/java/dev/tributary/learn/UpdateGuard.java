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

    private double[] stateVector(int a) {
        return a == 0 ? w.v : optimizer.vectors[a - 1];
    }

    void save(FeatureVector x) {
        for (int a = 0; a < undo.length; a++) {
            double[] from = stateVector(a);
            double[] to = undo[a];
            for (int k = 0; k < x.size(); k++) {
                int i = x.index(k);
                if (i < from.length) {
                    to[k] = from[i];
                }
            }
        }
        System.arraycopy(optimizer.scalars, 0, undoScalars, 0, undoScalars.length);
        savedScale = w.scale;
        savedMix = w.mix;
        savedBias = w.bias;
        savedNormSq = w.rawNormSq();
    }

    void undo(FeatureVector x) {
        for (int a = 0; a < undo.length; a++) {
            double[] to = stateVector(a);
            double[] from = undo[a];
            // Backwards, so that for a repeated index the oldest value wins.
            for (int k = x.size() - 1; k >= 0; k--) {
                int i = x.index(k);
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
        if (!(w.scale > 0) || Double.isInfinite(w.scale) || !Double.isFinite(w.mix) || !Double.isFinite(w.bias)) {
            return false;
        }
        for (int a = 0; a < undo.length; a++) {
            double[] values = stateVector(a);
            for (int k = 0; k < x.size(); k++) {
                int i = x.index(k);
                if (i < values.length && !Double.isFinite(values[i])) {
                    return false;
                }
            }
        }
        for (double s : optimizer.scalars) {
            if (!Double.isFinite(s)) {
                return false;
            }
        }
        if (optimizer.boundedByConstruction()) {
            return true;
        }
        double normSq = w.normSq();
        return normSq <= normBound * normBound;
    }
}
