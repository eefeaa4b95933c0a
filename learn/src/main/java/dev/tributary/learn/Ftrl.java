package dev.tributary.learn;

/**
 * FTRL-Proximal (McMahan et al., "Ad Click Prediction", 2013) with per-coordinate rates
 * {@code alpha / (beta + sqrt(n_i))}, L1 and L2. The weights are a closed-form function of the
 * accumulators {@code z} and {@code n}; the bias is an unregularised coordinate.
 */
final class Ftrl extends Optimizer {

    private static final int Z = 0;
    private static final int N = 1;
    private static final int BIAS_Z = 0;
    private static final int BIAS_N = 1;

    /** The per-weight vectors, each as long as the weights. */
    static final String[] VECTORS = {"z", "n"};

    Ftrl(LearnerConfig config) {
        super(config, VECTORS, new String[] {"biasZ", "biasN"});
    }

    @Override
    boolean usesLabelScale() {
        return true;
    }

    @Override
    void update(Weights w, FeatureVector x, double[] xs, double m, double y, Loss loss, double labelScale) {
        double alpha = config.learningRate() * labelScale;
        double beta = labelScale;
        double g = loss.gradient(m, y);
        double[] z = vectors[Z];
        double[] nAcc = vectors[N];
        for (int k = 0; k < x.size(); k++) {
            int i = x.index(k);
            double gi = g * xs[k];
            double next = step(z, nAcc, i, i, gi, w.get(i), alpha, beta, config.l1(), config.l2());
            w.set(i, next);
        }
        w.bias = step(scalars, BIAS_Z, BIAS_N, g, w.bias, alpha, beta, 0.0, 0.0);
    }

    private static double step(
            double[] zs, int zi, int ni, double gi, double wi, double alpha, double beta, double l1, double l2) {
        return step(zs, zs, zi, ni, gi, wi, alpha, beta, l1, l2);
    }

    /** Updates z[zi] and n[ni] with gradient gi and returns the new weight. */
    private static double step(
            double[] z,
            double[] n,
            int zi,
            int ni,
            double gi,
            double wi,
            double alpha,
            double beta,
            double l1,
            double l2) {
        double sigma = (Math.sqrt(n[ni] + gi * gi) - Math.sqrt(n[ni])) / alpha;
        z[zi] += gi - sigma * wi;
        n[ni] += gi * gi;
        if (Math.abs(z[zi]) <= l1) {
            return 0.0;
        }
        return -(z[zi] - Math.signum(z[zi]) * l1) / ((beta + Math.sqrt(n[ni])) / alpha + l2);
    }
}
