package dev.tributary.learn;

/**
 * Pegasos (Shalev-Shwartz, Singer, Srebro, Cotter 2011) for the hinge loss, returning the
 * average of its iterates as the paper's analysis does. The iterate {@code θ} (with a bias
 * treated as the weight of a constant feature) takes step {@code η = 1/(λ(t+1))}: decay by
 * {@code 1 - ηλ}, add {@code η·y·x} on a margin violation, then project onto the ball of radius
 * {@code 1/sqrt(λ)}. The learner scores with the running average of the iterates, kept in
 * O(non-zeros) per step by Bottou's averaged-SGD bookkeeping: {@code average = α·v + β·θraw}.
 * The offset of one in the step avoids the paper's first step, which zeroes the weights.
 */
final class Pegasos extends Optimizer {

    private static final int ITERATE = 0; // raw iterate; θ = iterateScale · iterate
    private static final int T = 0;
    private static final int ITERATE_SCALE = 1;
    private static final int ITERATE_BIAS = 2;
    private static final int ITERATE_NORM_SQ = 3; // of the raw iterate

    /** The per-weight vectors, each as long as the weights. */
    static final String[] VECTORS = {"iterate"};

    Pegasos(LearnerConfig config) {
        super(config, VECTORS, new String[] {"t", "iterateScale", "iterateBias", "iterateNormSq"});
        scalars[ITERATE_SCALE] = 1.0;
    }

    @Override
    void attach(Weights w) {
        w.u = vectors[ITERATE];
    }

    @Override
    void maintain(Weights w) {
        if (w.scale < 1e-6 || scalars[ITERATE_SCALE] < 1e-6) {
            canonicalize(w);
        }
    }

    @Override
    void canonicalize(Weights w) {
        w.fold();
        double s = scalars[ITERATE_SCALE];
        double[] iterate = vectors[ITERATE];
        double norm = 0;
        for (int i = 0; i < iterate.length; i++) {
            iterate[i] *= s;
            norm += iterate[i] * iterate[i];
        }
        scalars[ITERATE_SCALE] = 1.0;
        scalars[ITERATE_NORM_SQ] = norm;
    }

    @Override
    boolean boundedByConstruction() {
        return true;
    }

    @Override
    void update(Weights w, FeatureVector x, double[] xs, double ignored, double y, Loss loss, double labelScale) {
        double lambda = config.l2();
        double[] iterate = vectors[ITERATE];
        double s = scalars[ITERATE_SCALE];
        double iterateBias = scalars[ITERATE_BIAS];
        double rawNorm = scalars[ITERATE_NORM_SQ];
        int n = x.size();
        double dot = 0;
        for (int k = 0; k < n; k++) {
            dot += iterate[x.index(k)] * xs[k];
        }
        double m = s * dot + iterateBias;
        double t = ++scalars[T];
        double eta = 1.0 / (lambda * (t + 1.0));
        double decay = 1.0 - eta * lambda;
        s *= decay;
        iterateBias *= decay;
        double g = loss.gradient(m, y);
        if (g != 0) {
            // Keep the average unchanged while the iterate moves: v_i -= (β/α)·Δraw_i.
            double compensate = w.mix / w.scale;
            for (int k = 0; k < n; k++) {
                int i = x.index(k);
                double delta = -eta * g * xs[k] / s;
                double old = iterate[i];
                iterate[i] = old + delta;
                rawNorm += iterate[i] * iterate[i] - old * old;
                w.v[i] -= compensate * delta;
            }
            iterateBias -= eta * g;
        }
        double norm = Math.sqrt(s * s * Math.max(rawNorm, 0.0) + iterateBias * iterateBias);
        double radius = 1.0 / Math.sqrt(lambda);
        if (norm > radius) {
            double factor = radius / norm;
            s *= factor;
            iterateBias *= factor;
        }
        // Average: avg_t = (1 - μ)·avg_{t-1} + μ·θ_t with μ = 1/t.
        double mu = 1.0 / t;
        if (mu < 1.0) {
            w.scale *= 1.0 - mu;
        }
        w.mix = (1.0 - mu) * w.mix + mu * s;
        w.bias = (1.0 - mu) * w.bias + mu * iterateBias;
        scalars[ITERATE_SCALE] = s;
        scalars[ITERATE_BIAS] = iterateBias;
        scalars[ITERATE_NORM_SQ] = rawNorm;
    }
}
