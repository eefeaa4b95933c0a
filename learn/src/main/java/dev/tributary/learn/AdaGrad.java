package dev.tributary.learn;

/**
 * AdaGrad made scale-free in the manner of Vowpal Wabbit's normalised adaptive updates, so that
 * the default rate works with or without standardisation and for any label scale:
 * <ul>
 *   <li>each numeric weight works in units of its feature's running RMS {@code s_i} (VW uses the
 *       running max; the RMS is not thrown off by one outlier), and its accumulator sums the
 *       squared gradients in those units; when {@code s_i} exceeds its largest value so far the
 *       weight is shrunk by the ratio (VW's rescaling), so a feature whose first values were near
 *       zero does not keep the huge weight its first steps gave it;</li>
 *   <li>the feature weights' steps are divided by the RMS norm of the normalised examples (VW's
 *       global normaliser), so the rate does not depend on how many features there are; the bias,
 *       present in every example, takes the full step {@code lr / sqrt(Σg²)};</li>
 *   <li>for regression, steps are multiplied by the RMS of the residuals so far (AdaGrad steps
 *       are otherwise dimensionless, which would make a price in cents take forever to learn);</li>
 *   <li>the step is implicit ({@link Loss#implicitGradient}): it never moves the prediction past
 *       the label, which makes large rates safe;</li>
 *   <li>the squared-gradient accumulators forget, over about {@link #HORIZON} updates of their
 *       coordinate, so the steps level off instead of shrinking for ever and a long stream whose
 *       prior or concept moves stays followed; a short stream sees plain AdaGrad.</li>
 * </ul>
 * L2 adds to the gradient of the touched weights; L1 is a proximal soft-threshold per step.
 */
final class AdaGrad extends Optimizer {

    private static final int G2 = 0;
    private static final int SUM_SQ = 1;
    private static final int SCALE_MAX = 2;
    private static final int BIAS_G2 = 0;
    private static final int T = 1;
    private static final int NORM_SUM = 2;

    /**
     * The accumulators forget: each squared gradient weighs {@code KEEP^k} after k more updates of its
     * coordinate, so they hold about the last {@value #HORIZON} updates' worth and the rates stop
     * shrinking there instead of going to zero. On a short stream this is plain AdaGrad.
     */
    static final double HORIZON = 100_000;

    static final double KEEP = 1 - 1 / HORIZON;
    private static final int BIAS_COUNT = 3;
    private final int numeric;
    private double[] rates = new double[16];
    // Scratch of the dense numeric prefix: each feature's running RMS and its squared normalised value.
    private final double[] scale;
    private final double[] unitSq;

    AdaGrad(LearnerConfig config) {
        super(config, new String[] {"g2", "sumSq", "scaleMax"}, vectorLengths(config), new String[] {
            "biasG2", "t", "normSum", "biasCount"
        });
        numeric = config.numericFeatures().size();
        scale = new double[numeric];
        unitSq = new double[numeric];
    }

    /** g2 covers every weight; sumSq and scaleMax the numeric features only. */
    static int[] vectorLengths(LearnerConfig config) {
        return new int[] {
            config.dimension(),
            config.numericFeatures().size(),
            config.numericFeatures().size()
        };
    }

    @Override
    void update(Weights w, FeatureVector x, double[] xs, double m, double y, Loss loss, double labelScale) {
        int n = x.size();
        if (rates.length < n) {
            rates = new double[Math.max(n, rates.length * 2)];
        }
        double[] g2 = vectors[G2];
        double[] sumSq = vectors[SUM_SQ];
        double[] scaleMax = vectors[SCALE_MAX];
        double l2 = config.l2();
        double g = loss.gradient(m, y);
        double t = ++scalars[T];
        double inverseT = 1.0 / t;
        double keep = KEEP;
        // biasCount is biasG2's discounted count; state saved before it existed holds plain sums over t - 1 updates.
        scalars[BIAS_COUNT] = (scalars[BIAS_COUNT] == 0 ? t - 1 : scalars[BIAS_COUNT]) * keep + 1;

        int[] indices = x.indices();
        // Entries 0..dense-1 are the numeric features in order (index k at position k); with plain weights
        // (scale 1, no second vector) their steps are computed in vectorizable loops.
        int dense = w.scale == 1.0 && w.u == null ? x.densePrefix(numeric) : 0;
        double unitNormSq = densePrefix(dense, w, xs, g, l2, inverseT);
        for (int k = dense; k < n; k++) {
            int i = indices[k];
            double xi = xs[k];
            double wi = w.get(i);
            if (i >= numeric) {
                // Hashed categories are 0/1 already: their scale is 1, so nothing is divided by it.
                unitNormSq += xi * xi;
                double gu = g * xi + l2 * wi;
                g2[i] = keep * g2[i] + gu * gu;
                rates[k] = g2[i] > 0 ? 1.0 / Math.sqrt(g2[i]) : 0.0;
                continue;
            }
            sumSq[i] += xi * xi;
            double s = Math.sqrt(sumSq[i] * inverseT);
            if (s == 0) {
                rates[k] = 0;
                continue;
            }
            if (s > scaleMax[i]) {
                // The weight's past steps were sized for a smaller scale: shrink it in proportion
                // (VW's rescaling when a feature's norm grows). Against the running maximum, so
                // the shrinking telescopes to (first scale / largest scale) and then stops.
                if (scaleMax[i] > 0) {
                    w.set(i, wi * (scaleMax[i] / s));
                    wi = w.get(i);
                }
                scaleMax[i] = s;
            }
            double inverse = 1.0 / s;
            double u = xi * inverse;
            unitNormSq += u * u;
            double gu = (g * xi + l2 * wi) * inverse; // gradient for the weight in units of s
            g2[i] = keep * g2[i] + gu * gu;
            rates[k] = g2[i] > 0 ? 1.0 / (s * s * Math.sqrt(g2[i])) : 0.0;
        }
        scalars[NORM_SUM] += unitNormSq;
        scalars[BIAS_G2] = keep * scalars[BIAS_G2] + g * g;

        // AdaGrad steps are dimensionless; regression margins are in label units, so scale the steps
        // by the RMS of the residuals so far (a price in cents then learns like one in euros).
        double unit = loss.marginInLabelUnits() ? Math.sqrt(scalars[BIAS_G2] / scalars[BIAS_COUNT]) : 1.0;
        // Global normaliser for the feature weights: 1 / RMS of |(u, 1)| over the examples seen.
        double eta = config.learningRate() * unit * Math.sqrt(t / (scalars[NORM_SUM] + t));
        // The bias is not one feature among d: it is in every example and carries the class prior (or
        // the label mean), so its step is not shrunk by the feature count. Shrunk, it falls behind on a
        // stream whose first examples are all of one class (breast_cancer: the learnt bias stayed at
        // -0.67 where the best bias for the learnt weights was about 0; hold-out 0.939 -> 0.982).
        double biasRate = scalars[BIAS_G2] > 0 ? config.learningRate() * unit / Math.sqrt(scalars[BIAS_G2]) : 0.0;
        double h = biasRate;
        for (int k = 0; k < n; k++) {
            rates[k] *= eta;
            h += rates[k] * xs[k] * xs[k];
        }
        // The log loss's implicit step starts from the gradient computed above (one exp fewer).
        double step = loss instanceof LogLoss ? LogLoss.implicitGradient(g, m, y, h) : loss.implicitGradient(m, y, h);
        double l1 = config.l1();
        int stepped = l1 == 0 ? stepDensePrefix(dense, w, xs, step, l2) : 0;
        for (int k = stepped; k < n; k++) {
            double rate = rates[k];
            if (rate == 0) {
                continue;
            }
            int i = indices[k];
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

    /**
     * The last loop of {@link #update} without L1 for the dense numeric prefix {@code 0..dense-1} of plain weights:
     * the same arithmetic on the arrays, without a branch or a call per weight (a rate of 0 leaves a weight as it
     * is here too, up to the sign of a zero). Returns {@code dense}, the entries it stepped.
     */
    private int stepDensePrefix(int dense, Weights w, double[] xs, double step, double l2) {
        double[] v = w.v;
        double normSqChange = 0;
        for (int k = 0; k < dense; k++) {
            double wi = v[k];
            double next = wi - rates[k] * (step * xs[k] + l2 * wi);
            v[k] = next;
            normSqChange += next * next - wi * wi;
        }
        w.addToNormSq(normSqChange);
        return dense;
    }

    /**
     * The first loop of {@link #update} for the dense numeric prefix {@code 0..dense-1}: the same arithmetic
     * per feature, split into loops without branches (which the JIT vectorizes, divisions and square roots
     * included) and scalar loops for the rare branches. Returns the prefix's sum of squared normalised values.
     */
    private double densePrefix(int dense, Weights w, double[] xs, double g, double l2, double inverseT) {
        double[] v = w.v;
        double[] g2 = vectors[G2];
        double[] sumSq = vectors[SUM_SQ];
        double[] scaleMax = vectors[SCALE_MAX];
        for (int k = 0; k < dense; k++) {
            double xi = xs[k];
            sumSq[k] += xi * xi;
            scale[k] = Math.sqrt(sumSq[k] * inverseT);
        }
        boolean zeroScale = false;
        for (int k = 0; k < dense; k++) {
            double s = scale[k];
            if (s == 0) {
                zeroScale = true;
            } else if (s > scaleMax[k]) {
                // The weight's past steps were sized for a smaller scale: shrink it in proportion
                // (VW's rescaling when a feature's norm grows). Against the running maximum, so
                // the shrinking telescopes to (first scale / largest scale) and then stops.
                if (scaleMax[k] > 0) {
                    w.set(k, v[k] * (scaleMax[k] / s));
                }
                scaleMax[k] = s;
            }
        }
        double keep = KEEP;
        if (zeroScale) {
            for (int k = 0; k < dense; k++) {
                double s = scale[k];
                if (s == 0) {
                    rates[k] = 0; // a feature that has only ever been 0 is not stepped (nor its g2 decayed)
                    unitSq[k] = 0;
                    continue;
                }
                double xi = xs[k];
                double inverse = 1.0 / s;
                double u = xi * inverse;
                unitSq[k] = u * u;
                double gu = (g * xi + l2 * v[k]) * inverse;
                g2[k] = keep * g2[k] + gu * gu;
                rates[k] = 1.0 / (s * s * Math.sqrt(g2[k]));
            }
        } else {
            for (int k = 0; k < dense; k++) {
                double xi = xs[k];
                double s = scale[k];
                double inverse = 1.0 / s;
                double u = xi * inverse;
                unitSq[k] = u * u;
                double gu = (g * xi + l2 * v[k]) * inverse; // gradient for the weight in units of s
                g2[k] = keep * g2[k] + gu * gu;
                rates[k] = 1.0 / (s * s * Math.sqrt(g2[k]));
            }
        }
        double unitNormSq = 0;
        for (int k = 0; k < dense; k++) {
            if (scale[k] != 0) {
                unitNormSq += unitSq[k];
            }
            if (!(g2[k] > 0)) {
                rates[k] = 0.0;
            }
        }
        return unitNormSq;
    }
}
