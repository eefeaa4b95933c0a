package dev.tributary.evaluation;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.RunningPrior;
import dev.tributary.learn.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The single pass of an {@link Evaluation} over a {@link RowSource}: every learner and baseline
 * sees each row as it streams by, so memory holds what is measured (a score per row for the exact
 * AUC) and a bounded sample for the batch model, never the rows.
 */
final class Pass implements RowSink {

    private final Task task;
    private final int rows;
    private final int split;
    private final EvaluationOptions options;
    private final Featurizer featurizer;
    private final FeatureVector x;
    private int r;

    private final Learner learner;
    private final Tally progressiveScores;
    private final Tally progressiveOnTest;
    private final CurveRecorder curve;

    private final Learner holdoutLearner;
    private final Tally holdout;
    long holdoutNanos;

    private final Learner delayedLearner;
    private final FeatureVector[] pending;
    private final double[] pendingLabels;
    private final Tally delayed;

    private final Tally majority;
    private Tally majorityHoldout;
    private long ones;
    private double mean;
    private final RunningPrior runningPrior = new RunningPrior(RunningPrior.WINDOW);
    private final Tally prior;

    private final String name;
    private final List<String> features;
    private final List<String> categorical;
    private final String target;
    private double[][] sampleX;
    private String[][] sampleCategories;
    private double[] sampleY;
    private int sampled;
    private final SplittableRandom sampler = new SplittableRandom(1);
    private BatchBaseline.Trained batchModel;
    private Tally batch;
    String batchError;
    long batchNanos;

    Pass(RowSource source, LearnerConfig config, EvaluationOptions options, int split) {
        this.task = config.task();
        this.rows = source.rows();
        this.split = split;
        this.options = options;
        this.featurizer = Featurizer.of(config);
        this.x = featurizer.newVector();
        boolean classifier = task.isClassifier();
        boolean logistic = task == Task.LOGISTIC;
        int testRows = rows - split;
        learner = Learners.create(config);
        progressiveScores = tally(classifier, logistic, rows);
        progressiveOnTest = tally(classifier, logistic, testRows);
        curve = new CurveRecorder(task, rows, options.curvePoints());
        holdoutLearner = Learners.create(config);
        holdout = tally(classifier, logistic, testRows);
        int delay = options.labelDelay();
        delayedLearner = delay > 0 ? Learners.create(config) : null;
        pending = delay > 0 ? new FeatureVector[delay] : null;
        pendingLabels = delay > 0 ? new double[delay] : null;
        delayed = delay > 0 ? tally(classifier, logistic, rows) : null;
        majority = tally(classifier, logistic, rows);
        prior = classifier ? Tally.classifier(true, rows) : null;
        name = source.name();
        features = source.features();
        categorical = source.categorical();
        target = source.target();
    }

    private static Tally tally(boolean classifier, boolean withLogLoss, int expectedRows) {
        return classifier ? Tally.classifier(withLogLoss, expectedRows) : Tally.regression();
    }

    @Override
    public void accept(double[] values, String[] categories, double y) {
        if (r >= rows) {
            throw new IllegalStateException(name + " gave more than the " + rows + " rows it announced");
        }
        check(y);
        String problem = featurizer.fillRow(values, categories, x);
        if (problem != null) {
            throw new IllegalArgumentException("row " + (r + 1) + ": " + problem);
        }
        boolean test = r >= split;
        if (r == split) {
            startTesting();
        }

        double m = learner.margin(x);
        add(progressiveScores, learner, m, y);
        if (test) {
            add(progressiveOnTest, learner, m, y);
        }
        learner.learn(x, y);

        long start = System.nanoTime();
        if (test) {
            add(holdout, holdoutLearner, holdoutLearner.margin(x), y);
        } else {
            holdoutLearner.learn(x, y);
        }
        holdoutNanos += System.nanoTime() - start;

        if (delayedLearner != null) {
            delay(y);
        }
        double baseline = baselines(y, test);
        curve.add(learner, m, y, baseline, r + 1 == rows);
        if (options.batch()) {
            batch(values, categories, y, test);
        }
        r++;
    }

    private void check(double y) {
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("row " + (r + 1) + ": the label is " + y + ", not a finite number");
        }
        if (task.isClassifier() && y != 0.0 && y != 1.0) {
            throw new IllegalArgumentException("row " + (r + 1) + ": the label is " + Evaluation.format(y) + ", but "
                    + Evaluation.describe(task) + " needs labels 0 and 1");
        }
    }

    private static void add(Tally tally, Learner learner, double margin, double y) {
        Integer predicted = learner.predictedClass(margin);
        if (predicted == null) {
            tally.add(learner.output(margin), y);
        } else {
            tally.add(margin, predicted, learner.output(margin), y);
        }
    }

    /** The label of row i reaches the delayed learner after row i + N has been predicted. */
    private void delay(double y) {
        int slot = r % pending.length;
        add(delayed, delayedLearner, delayedLearner.margin(x), y);
        if (pending[slot] == null) {
            pending[slot] = featurizer.newVector();
        } else {
            delayedLearner.learn(pending[slot], pendingLabels[slot]); // row r - N
        }
        FeatureVector keep = pending[slot];
        keep.clear();
        for (int k = 0; k < x.size(); k++) {
            keep.add(x.index(k), x.value(k));
        }
        pendingLabels[slot] = y;
    }

    /** Majority (or mean) and running prior, test-then-train; returns the curve's baseline figure for the row. */
    private double baselines(double y, boolean test) {
        double baseline;
        if (task == Task.REGRESSION) {
            majority.add(mean, y);
            if (test) {
                majorityHoldout.add(frozenMean, y);
            }
            baseline = mean;
            mean += (y - mean) / (r + 1);
            return baseline;
        }
        int predicted = 2 * ones > r ? 1 : 0;
        double p = (ones + 0.5) / (r + 1.0);
        majority.add(p, predicted, p, y);
        if (test) {
            majorityHoldout.add(frozenP, frozenClass, frozenP, y);
        }
        if (y == 1.0) {
            ones++;
        }
        double q = runningPrior.probability();
        prior.add(q, q >= 0.5 ? 1 : 0, q, y);
        baseline = runningPrior.logLoss(y);
        runningPrior.add(y);
        return baseline;
    }

    private double frozenMean;
    private double frozenP;
    private int frozenClass;

    /** At the first test row: freeze the trivial predictor and train the batch model. */
    private void startTesting() {
        frozenMean = mean;
        frozenP = (ones + 0.5) / (split + 1.0);
        frozenClass = 2 * ones > split ? 1 : 0;
        majorityHoldout = tally(task.isClassifier(), task == Task.LOGISTIC, rows - split);
        if (!options.batch()) {
            return;
        }
        long start = System.nanoTime();
        try {
            Dataset sample = new Dataset(
                    name,
                    features,
                    categorical,
                    target,
                    trim(sampleX),
                    categorical.isEmpty() ? null : trim(sampleCategories),
                    java.util.Arrays.copyOf(sampleY, sampled));
            sampleX = null;
            sampleCategories = null;
            sampleY = null;
            batchModel = BatchBaseline.train(sample, task);
            batch = batchModel.newTally(rows - split);
        } catch (OutOfMemoryError | RuntimeException e) {
            sampleX = null;
            sampleCategories = null;
            failBatch(e);
        }
        batchNanos += System.nanoTime() - start;
    }

    private <T> T[] trim(T[] sample) {
        return java.util.Arrays.copyOf(sample, sampled);
    }

    private void failBatch(Throwable e) {
        batchModel = null;
        batch = null;
        batchError = e instanceof OutOfMemoryError
                ? "out of memory (" + e.getMessage() + "); try a smaller batch sample"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void batch(double[] values, String[] categories, double y, boolean test) {
        if (!test) {
            sample(values, categories, y);
            return;
        }
        if (batchModel == null) {
            return;
        }
        long start = System.nanoTime();
        try {
            batchModel.score(values, categories, y, batch);
        } catch (OutOfMemoryError | RuntimeException e) {
            failBatch(e);
        }
        batchNanos += System.nanoTime() - start;
    }

    /** Reservoir sampling: every training row has the same chance to be among the batch model's rows. */
    private void sample(double[] values, String[] categories, double y) {
        int capacity = Math.min(options.batchRows(), split);
        if (sampleY == null) {
            sampleX = new double[capacity][];
            sampleCategories = new String[capacity][];
            sampleY = new double[capacity];
        }
        int slot;
        if (sampled < capacity) {
            slot = sampled++;
        } else {
            long j = sampler.nextLong(r + 1L);
            if (j >= capacity) {
                return;
            }
            slot = (int) j;
        }
        sampleX[slot] = values.clone();
        sampleCategories[slot] = categories == null ? null : categories.clone();
        sampleY[slot] = y;
    }

    int rowsSeen() {
        return r;
    }

    Learner learner() {
        return learner;
    }

    Learner holdoutLearner() {
        return holdoutLearner;
    }

    /** The progressive figures: the learner's own, with the exact AUC of its margins in place of its binned one. */
    Map<String, Double> progressive() {
        Map<String, Double> figures = new LinkedHashMap<>(learner.metrics().values());
        if (task.isClassifier()) {
            figures.remove("auc");
            Double count = figures.remove("count");
            figures.put("auc", progressiveScores.values().get("auc"));
            figures.put("count", count);
        }
        return figures;
    }

    Map<String, Double> progressiveOnTest() {
        return progressiveOnTest.values();
    }

    Map<String, Double> holdout() {
        return holdout.values();
    }

    Map<String, Double> batch() {
        return batch == null ? null : batch.values();
    }

    int batchTrainRows() {
        return options.batch() ? Math.min(options.batchRows(), split) : 0;
    }

    Map<String, Double> majority() {
        return majority.values();
    }

    Map<String, Double> majorityHoldout() {
        return majorityHoldout.values();
    }

    Map<String, Double> prior() {
        return prior == null ? null : prior.values();
    }

    Map<String, Double> delayed() {
        return delayed == null ? null : delayed.values();
    }

    LearningCurve curve() {
        return curve.curve();
    }
}
