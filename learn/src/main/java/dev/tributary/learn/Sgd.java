package dev.tributary.learn;

/**
 * Plain SGD with step {@code lr / (1 + lr·l2·t)} (Bottou) and L2 as a decay of every weight.
 * Not normalised: meant for standardised inputs.
 */
final class Sgd extends Optimizer {

    private static final int T = 0;

    /** The per-weight vectors, each as long as the weights. */
    static final String[] VECTORS = {};

    Sgd(LearnerConfig config) {
        super(config, VECTORS, new String[] {"t"});
    }

    @Override
    void update(Weights w, FeatureVector x, double[] xs, double m, double y, Loss loss, double labelScale) {
        double t = ++scalars[T];
        double lr = config.learningRate();
        double l2 = config.l2();
        double eta = lr / (1.0 + lr * l2 * t);
        double g = loss.gradient(m, y);
        if (l2 > 0) {
            w.multiply(1.0 - eta * l2); // < 1 and > 0 for this schedule
        }
        if (g != 0) {
            for (int k = 0; k < x.size(); k++) {
                int i = x.index(k);
                w.set(i, w.get(i) - eta * g * xs[k]);
            }
            w.bias -= eta * g;
        }
    }
}
