package dev.tributary.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the loss gradient of one example into an in-place weight update. Its state is a set of
 * named per-weight vectors and named scalars, which travel in
 * {@link LearnerState}; the learner backs up the entries an update touches, so a rejected
 * update can be undone without the optimizer's help.
 */
abstract class Optimizer {

    final LearnerConfig config;
    private final String[] vectorNames;
    final double[][] vectors;
    private final String[] scalarNames;
    final double[] scalars;

    Optimizer(LearnerConfig config, String[] vectorNames, String[] scalarNames) {
        this(config, vectorNames, lengths(vectorNames.length, config.dimension()), scalarNames);
    }

    /** Vectors may be shorter than the weights (e.g. numeric features only); they cover the first indices. */
    Optimizer(LearnerConfig config, String[] vectorNames, int[] vectorLengths, String[] scalarNames) {
        this.config = config;
        this.vectorNames = vectorNames;
        this.vectors = new double[vectorNames.length][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new double[vectorLengths[i]];
        }
        this.scalarNames = scalarNames;
        this.scalars = new double[scalarNames.length];
    }

    private static int[] lengths(int count, int length) {
        int[] out = new int[count];
        java.util.Arrays.fill(out, length);
        return out;
    }

    /** The total length of the per-weight vectors the optimizer of {@code config} keeps. */
    static long vectorDoubles(LearnerConfig config) {
        long total = 0;
        for (int length : switch (config.optimizer()) {
            case ADAGRAD -> AdaGrad.vectorLengths(config);
            case SGD -> lengths(Sgd.VECTORS.length, config.dimension());
            case FTRL -> lengths(Ftrl.VECTORS.length, config.dimension());
            case PEGASOS -> lengths(Pegasos.VECTORS.length, config.dimension());
        }) {
            total += length;
        }
        return total;
    }

    static Optimizer create(LearnerConfig config) {
        return switch (config.optimizer()) {
            case ADAGRAD -> new AdaGrad(config);
            case SGD -> new Sgd(config);
            case FTRL -> new Ftrl(config);
            case PEGASOS -> new Pegasos(config);
        };
    }

    /**
     * One step on an example.
     *
     * @param w           the weights, updated in place
     * @param x           the example (its indices)
     * @param xs          the values the model sees for x's entries (standardised where enabled)
     * @param m           the current margin of x
     * @param y           the label
     * @param loss        the loss
     * @param labelScale  RMS of the labels so far when margins are in label units (regression), else 1
     */
    abstract void update(Weights w, FeatureVector x, double[] xs, double m, double y, Loss loss, double labelScale);

    /** Called once the weights exist: lets an optimizer share one of its vectors with them. */
    void attach(Weights w) {}

    /** Housekeeping that may touch every weight; runs before an update, outside the guarded region. */
    void maintain(Weights w) {
        if (w.scale < 1e-100) {
            w.fold();
        }
    }

    /** Stores weights and optimizer state plainly (no pending scale), as a snapshot needs. */
    void canonicalize(Weights w) {
        w.fold();
    }

    /** True when {@link #update} reads its {@code labelScale} argument (otherwise it is passed as 1). */
    boolean usesLabelScale() {
        return false;
    }

    /** True when the optimizer itself keeps the weights in a bounded set (no norm guard needed). */
    boolean boundedByConstruction() {
        return false;
    }

    Map<String, double[]> vectorState() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int i = 0; i < vectorNames.length; i++) {
            out.put(vectorNames[i], vectors[i].clone());
        }
        return out;
    }

    Map<String, Double> scalarState() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < scalarNames.length; i++) {
            out.put(scalarNames[i], scalars[i]);
        }
        return out;
    }

    /** Loads saved state; absent entries stay fresh (zero), entries of the wrong size are refused. */
    void load(Map<String, double[]> savedVectors, Map<String, Double> savedScalars) {
        for (int i = 0; i < vectorNames.length; i++) {
            double[] saved = savedVectors == null ? null : savedVectors.get(vectorNames[i]);
            if (saved != null) {
                if (saved.length != vectors[i].length) {
                    throw new IllegalArgumentException("optimizer vector '" + vectorNames[i] + "' has length "
                            + saved.length + ", expected " + vectors[i].length);
                }
                LearnerState.checkFinite("optimizer vector '" + vectorNames[i] + "'", saved);
                System.arraycopy(saved, 0, vectors[i], 0, saved.length);
            }
        }
        for (int i = 0; i < scalarNames.length; i++) {
            Double saved = savedScalars == null ? null : savedScalars.get(scalarNames[i]);
            if (saved != null) {
                if (!Double.isFinite(saved)) {
                    throw new IllegalArgumentException("optimizer scalar '" + scalarNames[i] + "' is " + saved);
                }
                scalars[i] = saved;
            }
        }
    }
}
