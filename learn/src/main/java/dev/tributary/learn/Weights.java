package dev.tributary.learn;

/**
 * The weights a learner scores with, stored as {@code scale · v + mix · u}: the scale makes a
 * decay of every weight (L2 in SGD and Pegasos) O(1), and the optional second vector {@code u}
 * (owned by the optimizer) lets averaged Pegasos keep its average up to date in O(non-zeros).
 * Also holds the bias and the running squared norm of {@code v}.
 */
final class Weights {

    final double[] v;
    double scale = 1.0;
    double[] u;
    double mix;
    double bias;
    private double normSq;

    Weights(int dimension) {
        v = new double[dimension];
    }

    double get(int i) {
        return u == null ? scale * v[i] : scale * v[i] + mix * u[i];
    }

    /** Sets weight i (only when there is no second vector). */
    void set(int i, double value) {
        double old = v[i];
        double next = scale == 1.0 ? value : value / scale; // the same value, without a division
        v[i] = next;
        normSq += next * next - old * old;
    }

    /** For a caller that has set weights in {@code v} directly (scale 1, no second vector): their change of the norm. */
    void addToNormSq(double change) {
        normSq += change;
    }

    /** Squared L2 norm of the weights (not the bias); only tracked without a second vector. */
    double normSq() {
        return scale * scale * Math.max(normSq, 0.0);
    }

    /** Multiplies every weight (not the bias) by {@code factor > 0}; only without a second vector. */
    void multiply(double factor) {
        scale *= factor;
    }

    /** Stores the weights plainly in {@code v} (scale 1, mix 0) and recomputes the norm. O(dimension). */
    void fold() {
        if (scale != 1.0 || mix != 0.0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = get(i);
            }
            scale = 1.0;
            mix = 0.0;
        }
        recomputeNorm();
    }

    void recomputeNorm() {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        normSq = s;
    }

    double rawNormSq() {
        return normSq;
    }

    void restoreRaw(double scale, double mix, double bias, double normSq) {
        this.scale = scale;
        this.mix = mix;
        this.bias = bias;
        this.normSq = normSq;
    }
}
