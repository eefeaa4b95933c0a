package dev.tributary.learn;

/**
 * AdaGrad made scale-free in the manner of Vowpal Wabbit's normalised adaptive updates, so that
 * the default rate works with or without standardisation and for any label scale:
 * <ul>
 *   <li>each numeric weight works in units of its feature's running RMS {@code s_i} (VW uses the
 *       running max; the RMS is not thrown off by one outlier), and its accumulator sums the
 *       squared gradients in those units;</li>
 *   <li>steps are divided by the RMS norm of the normalised examples (VW's global normaliser),
 *       so the rate does not depend on how many features there are;</li>
 *   <li>for regression, steps are multiplied by the RMS of the residuals so far (AdaGrad steps
 *       are otherwise dimensionless, which would make a price in cents take forever to learn);</li>
 *   <li>the step is implicit ({@link Loss#implicitGradient}): it never moves the prediction past
 *       the label, which makes large rates safe.</li>
 * </ul>
 * L2 adds to the gradient of the touched weights; L1 is a proximal soft-threshold per step.
 */
final class AdaGrad extends Optimizer {

    private static final int G2 = 0;
    private static final int SUM_SQ = 1;
    private static final int BIAS_G2 = 0;
    private static final int T = 1;
    private static final int NORM_SUM = 2;

    private final int numeric;
    private double[] rates = new double[16];

    AdaGrad(LearnerConfig config) {
        super(config, new String[] {"g2", "sumSq"},
                new int[] {config.dimension(), config.numericFeatures().size()},
                new String[] {"biasG2", "t", "normSum"});
        numeric = config.numericFeatures().size();
    }

    @Override
    void update(Weights w, FeatureVector x, double[] xs, double m, double y, Loss loss, double labelScale) {
        int n = x.size();
        if (rates.length < n) {
            rates = new double[Math.max(n, rates.length * 2)];
        }
        double[] g2 = vectors[G2];
        double[] sumSq = vectors[SUM_SQ];
        double l2 = config.l2();
        double g = loss.gradient(m, y);
        double t = ++scalars[T];

        double unitNormSq = 0;
        for (int k = 0; k < n; k++) {
            int i = x.index(k);
            double xi = xs[k];
            double s = 1.0;  // hashed categories are 0/1 already
            if (i < numeric) {
                sumSq[i] += xi * xi;
                s = Math.sqrt(sumSq[i] / t);
                if (s == 0) {
                    rates[k] = 0;
                    continue;
                }
            }
            double u = xi / s;
            unitNormSq += u * u;
            double gu = (g * xi + l2 * w.get(i)) / s;  // gradient for the weight in units of s
            g2[i] += gu * gu;
            rates[k] = g2[i] > 0 ? 1.0 / (s * s * Math.sqrt(g2[i])) : 0.0;
        }
        scalars[NORM_SUM] += unitNormSq;
        scalars[BIAS_G2] += g * g;

        // AdaGrad steps are dimensionless; regression margins are in label units, so scale the steps
        // by the RMS of the residuals so far (a price in cents then learns like one in euros).
        double unit = loss.marginInLabelUnits() ? Math.sqrt(scalars[BIAS_G2] / t) : 1.0;
        // Global normaliser: 1 / RMS of |(u, 1)| over the examples seen (the bias counts as a feature).
        double eta = config.learningRate() * unit * Math.sqrt(t / (scalars[NORM_SUM] + t));
        double biasRate = scalars[BIAS_G2] > 0 ? eta / Math.sqrt(scalars[BIAS_G2]) : 0.0;
        double h = biasRate;
        for (int k = 0; k < n; k++) {
            rates[k] *= eta;
            h += rates[k] * xs[k] * xs[k];
        }
        double step = loss.implicitGradient(m, y, h);
        double l1 = config.l1();
        for (int k = 0; k < n; k++) {
            double rate = rates[k];
            if (rate == 0) {
                continue;
            }
            int i = x.index(k);
            double wi = w.get(i);
            double next = wi - rate * (step * xs[k] + l2 * wi);
            if (l1 > 0) {
                double shrink = rate * l1;
                next = next > shrink ? next - shrink : next < -shrink ? next + shrink : 0.0;
            }
            w.set(i, next);
        }
        w.bias -= biasRate * step;
    }
}
