package dev.tributary.evaluation;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates a learner configuration on a dataset, offline: no Kafka, no files. Rows go through
 * exactly what the train function runs — {@link Featurizer#of}, {@link Learners#create} and
 * {@link Learner#learn} (test-then-train) — in order. One call gives:
 * <ul>
 *   <li>the progressive figures over every row (the learner's own progressive metrics, plus the
 *       exact ROC AUC of the margins it predicted before learning each row) and their learning curve;</li>
 *   <li>the hold-out figures of the same configuration after one online pass over the first
 *       {@code trainFraction} of the rows, frozen and scored on the rest;</li>
 *   <li>the batch baseline ({@link BatchBaseline}, Tribuo liblinear) on the same split;</li>
 *   <li>the majority-class (or mean) predictor, progressive and on the split;</li>
 *   <li>wall times.</li>
 * </ul>
 *
 * <pre>{@code
 * EvaluationResult r = Evaluation.run(data, LearnerConfig.defaults(Task.LOGISTIC, data.features()));
 * System.out.println(r.progressiveMetric() + " online, " + r.batchMetric() + " batch");
 * }</pre>
 */
public final class Evaluation {

    private Evaluation() {
    }

    /** {@link #run(Dataset, LearnerConfig, EvaluationOptions)} with {@link EvaluationOptions#defaults()}. */
    public static EvaluationResult run(Dataset data, LearnerConfig config) {
        return run(data, config, EvaluationOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException if the config's features are not the dataset's, a label does not
     *         suit the task (classifiers need 0 or 1), a value is not finite, or there are too few rows to split
     */
    public static EvaluationResult run(Dataset data, LearnerConfig config, EvaluationOptions options) {
        check(data, config);
        int n = data.rows();
        int split = BatchBaseline.splitRow(n, options.trainFraction());
        if (split < 1 || split >= n) {
            throw new IllegalArgumentException("there are " + n + " rows: too few to keep " + options.trainFraction()
                    + " of them for training and the rest for testing");
        }
        Task task = config.task();
        String metric = task == Task.REGRESSION ? "r2" : "accuracy";

        // Progressive: every row, test-then-train.
        long start = System.nanoTime();
        Learner learner = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        double[] margins = new double[n];
        int every = Math.max(1, (int) Math.ceil(n / (double) options.curvePoints()));
        int points = (n + every - 1) / every;
        long[] curveEvents = new long[points];
        double[] curveValues = new double[points];
        int point = 0;
        for (int r = 0; r < n; r++) {
            fill(featurizer, data, r, x);
            margins[r] = learner.margin(x);
            learner.learn(x, data.y()[r]);
            if ((r + 1) % every == 0 || r + 1 == n) {
                curveEvents[point] = r + 1;
                curveValues[point] = learner.metrics().values().get(metric);
                point++;
            }
        }
        long progressiveNanos = System.nanoTime() - start;
        Map<String, Double> progressive = new LinkedHashMap<>(learner.metrics().values());
        if (task.isClassifier()) {
            Double count = progressive.remove("count");
            progressive.put("auc", Scores.auc(margins, data.y(), n));
            progressive.put("count", count);
        }

        // Hold-out: one online pass over the training rows, frozen, scored on the test rows.
        start = System.nanoTime();
        Learner holdoutLearner = Learners.create(config);
        for (int r = 0; r < split; r++) {
            fill(featurizer, data, r, x);
            holdoutLearner.learn(x, data.y()[r]);
        }
        int testRows = n - split;
        double[] testMargins = new double[testRows];
        for (int r = split; r < n; r++) {
            fill(featurizer, data, r, x);
            testMargins[r - split] = holdoutLearner.margin(x);
        }
        double[] testLabels = java.util.Arrays.copyOfRange(data.y(), split, n);
        Map<String, Double> holdout = figures(holdoutLearner, task, testMargins, testLabels);
        long holdoutNanos = System.nanoTime() - start;

        // Batch baseline on the same split.
        Map<String, Double> batch = null;
        String batchError = null;
        long batchNanos = 0;
        if (options.batch()) {
            start = System.nanoTime();
            try {
                batch = BatchBaseline.evaluate(data, task, split);
            } catch (RuntimeException e) {
                batchError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            batchNanos = System.nanoTime() - start;
        }

        return new EvaluationResult(data.name(), config, n, split, testRows, metric, progressive, holdout, batch,
                options.batch() ? BatchBaseline.describe(task) : null, batchError,
                majorityProgressive(task, data.y()), majorityHoldout(task, data.y(), split),
                new LearningCurve(metric, curveEvents, curveValues), learner.updatesRejected(),
                holdoutLearner.updatesRejected(), progressiveNanos, holdoutNanos, batchNanos);
    }

    private static void fill(Featurizer featurizer, Dataset data, int r, FeatureVector x) {
        String problem = featurizer.fillRow(data.x()[r], data.categoriesOf(r), x);
        if (problem != null) {
            throw new IllegalArgumentException("row " + (r + 1) + ": " + problem);
        }
    }

    private static Map<String, Double> figures(Learner learner, Task task, double[] margins, double[] labels) {
        int n = labels.length;
        if (task == Task.REGRESSION) {
            double[] predictions = new double[n];
            for (int i = 0; i < n; i++) {
                predictions[i] = learner.output(margins[i]);
            }
            return Scores.regression(predictions, labels, n);
        }
        int[] predicted = new int[n];
        double[] probabilities = task == Task.LOGISTIC ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            predicted[i] = learner.predictedClass(margins[i]);
            if (probabilities != null) {
                probabilities[i] = learner.output(margins[i]);
            }
        }
        return Scores.classification(predicted, margins, probabilities, labels, n);
    }

    /** Most frequent class so far (ties: 0), P(1) = (n₁ + ½)/(n + 1); or the mean of the labels so far (0 at first). */
    static Map<String, Double> majorityProgressive(Task task, double[] y) {
        int n = y.length;
        if (task == Task.REGRESSION) {
            double[] predictions = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) {
                predictions[i] = mean;
                mean += (y[i] - mean) / (i + 1);
            }
            return Scores.regression(predictions, y, n);
        }
        int[] predicted = new int[n];
        double[] probabilities = new double[n];
        long ones = 0;
        for (int i = 0; i < n; i++) {
            predicted[i] = 2 * ones > i ? 1 : 0;
            probabilities[i] = (ones + 0.5) / (i + 1.0);
            if (y[i] == 1.0) {
                ones++;
            }
        }
        return Scores.classification(predicted, probabilities, task == Task.LOGISTIC ? probabilities : null, y, n);
    }

    /** The majority class (ties: 0) or the mean of the training rows, on the test rows. */
    static Map<String, Double> majorityHoldout(Task task, double[] y, int split) {
        int n = y.length - split;
        double[] labels = java.util.Arrays.copyOfRange(y, split, y.length);
        if (task == Task.REGRESSION) {
            double mean = 0;
            for (int i = 0; i < split; i++) {
                mean += (y[i] - mean) / (i + 1);
            }
            double[] predictions = new double[n];
            java.util.Arrays.fill(predictions, mean);
            return Scores.regression(predictions, labels, n);
        }
        long ones = 0;
        for (int i = 0; i < split; i++) {
            if (y[i] == 1.0) {
                ones++;
            }
        }
        int[] predicted = new int[n];
        java.util.Arrays.fill(predicted, 2 * ones > split ? 1 : 0);
        double[] probabilities = new double[n];
        java.util.Arrays.fill(probabilities, (ones + 0.5) / (split + 1.0));
        return Scores.classification(predicted, probabilities, task == Task.LOGISTIC ? probabilities : null, labels, n);
    }

    private static void check(Dataset data, LearnerConfig config) {
        if (!config.numericFeatures().equals(data.features())) {
            throw new IllegalArgumentException("the config's numeric features " + config.numericFeatures()
                    + " are not the dataset's " + data.features());
        }
        if (!config.categoricalFeatures().equals(data.categorical())) {
            throw new IllegalArgumentException("the config's categorical features " + config.categoricalFeatures()
                    + " are not the dataset's " + data.categorical());
        }
        Task task = config.task();
        for (int r = 0; r < data.rows(); r++) {
            double y = data.y()[r];
            if (!Double.isFinite(y)) {
                throw new IllegalArgumentException("row " + (r + 1) + ": the label is " + y + ", not a finite number");
            }
            if (task.isClassifier() && y != 0.0 && y != 1.0) {
                throw new IllegalArgumentException("row " + (r + 1) + ": the label is " + format(y) + ", but "
                        + describe(task) + " needs labels 0 and 1");
            }
        }
    }

    /** "linear regression", "logistic regression" or "the linear SVM". */
    public static String describe(Task task) {
        return switch (task) {
            case REGRESSION -> "linear regression";
            case LOGISTIC -> "logistic regression";
            case SVM -> "the linear SVM";
        };
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
