package dev.tributary.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one generalised linear model behind every task: margin {@code m = w·x̃ + b}, a pluggable
 * {@link Loss} (squared, log, hinge) and a pluggable optimizer (AdaGrad, SGD, FTRL, Pegasos).
 * Linear regression, logistic regression and the linear SVM are this class with another loss.
 *
 * <p>{@link #learn} is test-then-train: it scores x with the scaler as it was (so the metric
 * measures exactly what a scorer holding this state would have answered; scoring with the
 * scaler already updated by x measures slightly better, about +0.15 points on spambase, but it is
 * not what a scorer sees), then adds x to the scaler, then learns from x standardised with the updated
 * statistics (so the first examples are not learnt from zero-variance features).
 *
 * <p>Every update is guarded: if a touched weight, the bias or the optimizer state would stop
 * being finite, or the weight norm would exceed {@code 1e6 · max(1, RMS of the labels)} (the
 * label scale keeps a legitimate regression on large targets from being refused), the update
 * is undone and counted, and the example leaves no trace in the scaler either; only
 * {@link #examplesSeen()}, {@link #updatesRejected()} and the metrics record it. An example
 * whose prediction overflows is not measured. Allocates nothing per example. Not thread-safe.
 *
 * <pre>{@code
 * Learner learner = Learners.create(LearnerConfig.defaults(Task.REGRESSION, List.of("x1", "x2")));
 * FeatureVector x = new FeatureVector(2);
 * x.add(0, 1.0);
 * x.add(1, 2.0);
 * learner.learn(x, 3.5);
 * double prediction = learner.output(learner.margin(x));
 * }</pre>
 */
public final class LinearLearner implements Learner {

    static final double NORM_BOUND = Learners.WEIGHT_NORM_BOUND;
    /**
     * An example with a numeric feature (or, for regression, a label) more than this many standard
     * deviations from everything seen so far is not learnt from: no real distribution puts
     * examples there, but a unit error or a poisoning burst does, and one such example would
     * otherwise swamp the scaler's statistics for good. Judged once {@link #OUTLIER_WARMUP}
     * examples have been seen.
     */
    static final double OUTLIER_STDS = 1000;

    static final long OUTLIER_WARMUP = 100;
    /**
     * After this many outliers in a row the data has changed scale for real: learning resumes
     * (and the statistics adapt) rather than freezing the model forever.
     */
    static final long OUTLIER_STREAK_LIMIT = 1000;

    private static final String OUTLIER_STREAK = "outlierStreak";
    private static final String LABEL_PREFIX = Learners.LABEL_PREFIX;

    private final LearnerConfig config;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Weights w;
    private final StandardScaler scaler;
    private final Metrics metrics;
    private final RunningStats labels = new RunningStats();
    private long outlierStreak;
    /** Set by {@link #margin(FeatureVector, boolean)}: whether it found a numeric outlier. */
    private boolean numericOutlier;

    private final int numeric;
    private final int dimension;
    private final boolean standardize;
    private long examplesSeen;
    private long updatesRejected;

    // Scratch, grown on demand: the values the model sees.
    private double[] xs = new double[0];
    private final UpdateGuard guard;

    LinearLearner(LearnerConfig config) {
        this(config, Metrics.create(config.task(), null));
    }

    private LinearLearner(LearnerConfig config, Metrics metrics) {
        this.config = config;
        this.loss = config.task().loss();
        this.optimizer = Optimizer.create(config);
        this.dimension = config.dimension();
        this.numeric = config.numericFeatures().size();
        this.standardize = config.standardize();
        this.w = new Weights(dimension);
        this.scaler = new StandardScaler(numeric);
        this.metrics = metrics;
        this.optimizer.attach(w);
        this.guard = new UpdateGuard(w, optimizer);
        ensureScratch(numeric + config.categoricalFeatures().size());
    }

    static LinearLearner restore(LearnerState s) {
        LearnerConfig config = s.config();
        LinearLearner learner = new LinearLearner(config, Metrics.create(config.task(), s.metricState()));
        if (s.weights().length != learner.dimension) {
            throw new IllegalArgumentException(
                    "weights have length " + s.weights().length + ", the config needs " + learner.dimension);
        }
        LearnerState.checkFinite("weights", s.weights());
        if (!Double.isFinite(s.bias())) {
            throw new IllegalArgumentException("bias is " + s.bias());
        }
        System.arraycopy(s.weights(), 0, learner.w.v, 0, learner.dimension);
        learner.w.bias = s.bias();
        learner.w.recomputeNorm();
        learner.loadScaler(s);
        learner.optimizer.load(s.optimizerVectors(), s.optimizerScalars());
        learner.optimizer.canonicalize(learner.w);
        Map<String, Double> scalars = s.optimizerScalars();
        double labelCount = scalars.getOrDefault(LABEL_PREFIX + "count", 0.0);
        double labelMean = scalars.getOrDefault(LABEL_PREFIX + "mean", 0.0);
        double labelM2 = scalars.getOrDefault(LABEL_PREFIX + "m2", 0.0);
        if (!(labelCount >= 0) || !Double.isFinite(labelMean) || !(labelM2 >= 0) || Double.isInfinite(labelM2)) {
            throw new IllegalArgumentException(
                    "label statistics are invalid: count " + labelCount + ", mean " + labelMean + ", m2 " + labelM2);
        }
        learner.labels.set((long) labelCount, labelMean, labelM2);
        learner.outlierStreak = (long) Math.max(0, scalars.getOrDefault(OUTLIER_STREAK, 0.0));
        if (s.examplesSeen() < 0 || s.updatesRejected() < 0) {
            throw new IllegalArgumentException("examplesSeen and updatesRejected must be >= 0");
        }
        learner.examplesSeen = s.examplesSeen();
        learner.updatesRejected = s.updatesRejected();
        return learner;
    }

    private void loadScaler(LearnerState s) {
        if (s.scalerCount() < 0) {
            throw new IllegalArgumentException("scalerCount must be >= 0, got " + s.scalerCount());
        }
        boolean fresh = s.scalerMean().length == 0 && s.scalerM2().length == 0 && s.scalerCount() == 0;
        if (fresh) {
            return;
        }
        if (s.scalerMean().length != numeric || s.scalerM2().length != numeric) {
            throw new IllegalArgumentException("scaler has " + s.scalerMean().length + " means and "
                    + s.scalerM2().length + " m2 values, the config has " + numeric + " numeric features");
        }
        LearnerState.checkFinite("scalerMean", s.scalerMean());
        LearnerState.checkFinite("scalerM2", s.scalerM2());
        scaler.load(s.scalerMean(), s.scalerM2(), s.scalerCount());
    }

    @Override
    public double margin(FeatureVector x) {
        return margin(x, false);
    }

    /**
     * The margin of x; with {@code judgeOutliers}, also whether a numeric feature of x lies more than
     * {@link #OUTLIER_STDS} standard deviations from its mean, in {@link #numericOutlier}: one pass for both.
     */
    private double margin(FeatureVector x, boolean judgeOutliers) {
        boolean outlier = false;
        double dot = 0;
        double dotU = 0;
        int n = x.size();
        int[] indices = x.indices();
        double[] values = x.values();
        double[] u = w.u;
        // The dense numeric prefix (entry k has index k) needs no index check.
        int dense = standardize ? x.densePrefix(numeric) : 0;
        for (int k = 0; k < dense; k++) {
            double z = scaler.standardized(k, values[k]);
            outlier |= judgeOutliers && Math.abs(z) > OUTLIER_STDS;
            double v = scaler.bounded(z);
            dot += w.v[k] * v;
            if (u != null) {
                dotU += u[k] * v;
            }
        }
        for (int k = dense; k < n; k++) {
            int i = indices[k];
            if (i >= dimension) {
                throw new IllegalArgumentException(
                        "feature index " + i + " is outside this model's " + dimension + " weights");
            }
            double v = values[k];
            if (standardize && i < numeric) {
                double z = scaler.standardized(i, v);
                outlier |= judgeOutliers && k < numeric && Math.abs(z) > OUTLIER_STDS;
                v = scaler.bounded(z);
            }
            dot += w.v[i] * v;
            if (u != null) {
                dotU += u[i] * v;
            }
        }
        if (judgeOutliers) {
            numericOutlier = outlier; // only learn() asks: a scoring call writes nothing
        }
        return w.scale * dot + w.mix * dotU + w.bias;
    }

    @Override
    public double output(double margin) {
        return loss.output(margin);
    }

    @Override
    public Integer predictedClass(double margin) {
        return loss.predictedClass(margin);
    }

    @Override
    public boolean learn(FeatureVector x, double y) {
        loss.checkLabel(y);
        checkNumericPrefix(x);
        // The margin and the outlier test of the numeric features, with the scaler as it is before x.
        double before = margin(x, standardize && scaler.count >= OUTLIER_WARMUP);
        boolean outlier = numericOutlier;
        examplesSeen++;
        if (!Double.isFinite(before) || !metrics.update(before, y)) {
            return reject(); // a prediction that overflows cannot be measured, nor learnt from
        }
        if (outlier || isLabelOutlier(y)) {
            if (++outlierStreak <= OUTLIER_STREAK_LIMIT) {
                return reject();
            }
        } else {
            outlierStreak = 0;
        }
        if (standardize && !scaler.update(x)) {
            return reject();
        }
        long labelCount = labels.count;
        double labelMean = labels.mean;
        double labelM2 = labels.m2;
        if (loss.marginInLabelUnits() && !labels.add(y)) {
            return rejectAndForget(labelCount, labelMean, labelM2);
        }
        int n = x.size();
        ensureScratch(n);
        int[] indices = x.indices();
        double[] values = x.values();
        double[] u = w.u;
        int dense = standardize ? numeric : 0; // checkNumericPrefix: entry k has index k below numeric
        double dot = 0;
        double dotU = 0;
        for (int k = 0; k < dense; k++) {
            double v = scaler.transform(k, values[k]);
            xs[k] = v;
            dot += w.v[k] * v;
            if (u != null) {
                dotU += u[k] * v;
            }
        }
        for (int k = dense; k < n; k++) {
            int i = indices[k];
            double v = values[k];
            if (standardize && i < numeric) {
                v = scaler.transform(i, v);
            }
            xs[k] = v;
            dot += w.v[i] * v;
            if (u != null) {
                dotU += u[i] * v;
            }
        }
        double m = w.scale * dot + w.mix * dotU + w.bias;
        if (!Double.isFinite(m)) {
            return rejectAndForget(labelCount, labelMean, labelM2);
        }
        optimizer.maintain(w); // outside the guarded region: the undo log only covers touched entries
        // The labels' RMS only matters to an optimizer that reads it, or to a weight norm above the plain bound.
        boolean labelUnits = loss.marginInLabelUnits();
        double labelScale = labelUnits && optimizer.usesLabelScale() ? labels.rms() : 1.0;
        guard.save(x);
        optimizer.update(w, x, xs, m, y, loss, labelScale);
        if (!guard.touchedFinite(x) || !withinNormBound(labelUnits)) {
            guard.undo(x);
            return rejectAndForget(labelCount, labelMean, labelM2);
        }
        return true;
    }

    /**
     * Whether the weight norm is within {@code NORM_BOUND · max(1, RMS of the labels)} (labels in margin units)
     * or {@code NORM_BOUND}: the RMS is only computed when the norm exceeds the plain bound.
     */
    private boolean withinNormBound(boolean labelUnits) {
        return guard.withinBound(NORM_BOUND)
                || labelUnits && guard.withinBound(NORM_BOUND * Math.max(1.0, labels.rms()));
    }

    /** For regression: the label lies more than {@link #OUTLIER_STDS} standard deviations from those seen. */
    private boolean isLabelOutlier(double y) {
        if (loss.marginInLabelUnits() && labels.count >= OUTLIER_WARMUP) {
            double std = Math.sqrt(labels.variance());
            return std > 0 && Math.abs(y - labels.mean) > OUTLIER_STDS * std;
        }
        return false;
    }

    /** A rejected example leaves no trace in the model: the scaler and label statistics forget it too. */
    private boolean rejectAndForget(long labelCount, double labelMean, double labelM2) {
        if (standardize) {
            scaler.undo();
        }
        labels.set(labelCount, labelMean, labelM2);
        return reject();
    }

    private boolean reject() {
        updatesRejected++;
        return false;
    }

    private void checkNumericPrefix(FeatureVector x) {
        if (x.densePrefix(numeric) == numeric) {
            return;
        }
        if (x.size() < numeric) {
            throw new IllegalArgumentException("the vector has " + x.size() + " entries, the model has " + numeric
                    + " numeric features (use Featurizer.fill)");
        }
        for (int i = 0; i < numeric; i++) {
            if (x.index(i) != i) {
                throw new IllegalArgumentException("entry " + i + " has index " + x.index(i)
                        + ": numeric features must come first, in order (use Featurizer.fill)");
            }
        }
    }

    private void ensureScratch(int n) {
        if (xs.length < n) {
            int size = Math.max(n, xs.length * 2);
            xs = new double[size];
            guard.ensureCapacity(size);
        }
    }

    @Override
    public long examplesSeen() {
        return examplesSeen;
    }

    @Override
    public long updatesRejected() {
        return updatesRejected;
    }

    @Override
    public ProgressiveMetrics metrics() {
        return metrics;
    }

    /**
     * {@inheritDoc} The weights are first stored plainly (the O(1) decay trick of SGD and
     * Pegasos is folded in), so this learner and a learner restored from the snapshot continue
     * bit for bit identically.
     */
    @Override
    public LearnerState snapshot() {
        optimizer.canonicalize(w);
        Map<String, Double> scalars = new LinkedHashMap<>(optimizer.scalarState());
        if (outlierStreak > 0) {
            scalars.put(OUTLIER_STREAK, (double) outlierStreak);
        }
        if (loss.marginInLabelUnits()) {
            scalars.put(LABEL_PREFIX + "count", (double) labels.count);
            scalars.put(LABEL_PREFIX + "mean", labels.mean);
            scalars.put(LABEL_PREFIX + "m2", labels.m2);
        }
        return new LearnerState(
                config,
                w.v.clone(),
                w.bias,
                scaler.mean.clone(),
                scaler.m2.clone(),
                scaler.count,
                optimizer.vectorState(),
                scalars,
                examplesSeen,
                updatesRejected,
                metrics.state());
    }

    /** The config this learner was built from. */
    public LearnerConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "LinearLearner{" + config.task() + "/" + config.optimizer() + ", examplesSeen=" + examplesSeen
                + ", updatesRejected=" + updatesRejected + ", metrics=" + metrics + "}";
    }
}
