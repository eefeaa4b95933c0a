package dev.tributary.evaluation;

import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.Task;

/**
 * Evaluates a learner configuration on a stream of rows ({@link RowSource}), offline: no Kafka. Rows
 * go through exactly what the train function runs — {@link Featurizer#of}, {@link Learners#create} and
 * {@link Learner#learn} (test-then-train) — in order, in one pass that keeps a score per row and a
 * bounded sample, never the rows. One call gives:
 * <ul>
 *   <li>the progressive figures over every row (the learner's own progressive metrics, plus the
 *       exact ROC AUC of the margins it predicted before learning each row) and their learning curve;</li>
 *   <li>the same progressive predictions on the test rows (the last {@code 1 - trainFraction}), the
 *       online figure to compare with batch;</li>
 *   <li>the hold-out figures of the same configuration after one online pass over the first
 *       {@code trainFraction} of the rows, frozen and scored on the rest;</li>
 *   <li>the batch baseline ({@link BatchBaseline}, Tribuo liblinear) trained on the training rows (a
 *       uniform sample of {@link EvaluationOptions#batchRows()} of them when there are more) and scored
 *       on the test rows; if it fails, even for want of memory, the other figures stand and
 *       {@link EvaluationResult#batchError()} says why;</li>
 *   <li>the majority-class (or mean) predictor, progressive and on the split, and for classifiers
 *       the running prior ({@link dev.tributary.learn.RunningPrior});</li>
 *   <li>with {@link EvaluationOptions#labelDelay()} N &gt; 0, a second learner that gets each label N rows
 *       late, scored on the predictions it made when each row arrived (delayed progressive validation);</li>
 *   <li>wall times.</li>
 * </ul>
 *
 * <pre>{@code
 * EvaluationResult r = Evaluation.run(data, LearnerConfig.defaults(Task.LOGISTIC, data.features()));
 * System.out.println(r.progressiveMetric() + " online, " + r.batchMetric() + " batch");
 * }</pre>
 */
public final class Evaluation {

    private Evaluation() {}

    /** {@link #run(RowSource, LearnerConfig, EvaluationOptions)} with {@link EvaluationOptions#defaults()}. */
    public static EvaluationResult run(RowSource data, LearnerConfig config) {
        return run(data, config, EvaluationOptions.defaults());
    }

    /**
     * One pass over the rows, in order; every learner and baseline sees each row as it streams by.
     *
     * @throws IllegalArgumentException if the config's features are not the source's, a label does not
     *         suit the task (classifiers need 0 or 1), a value is not finite, or there are too few rows to split
     */
    public static EvaluationResult run(RowSource data, LearnerConfig config, EvaluationOptions options) {
        check(data, config);
        int n = data.rows();
        int split = BatchBaseline.splitRow(n, options.trainFraction());
        if (split < 1 || split >= n) {
            throw new IllegalArgumentException("there are " + n + " rows: too few to keep " + options.trainFraction()
                    + " of them for training and the rest for testing");
        }
        Task task = config.task();
        Pass pass = new Pass(data, config, options, split);
        long start = System.nanoTime();
        data.replay(pass);
        long nanos = System.nanoTime() - start;
        if (pass.rowsSeen() != n) {
            throw new IllegalStateException(
                    data.name() + " gave " + pass.rowsSeen() + " rows, not the " + n + " it announced");
        }
        return new EvaluationResult(
                data.name(),
                config,
                n,
                split,
                n - split,
                task == Task.REGRESSION ? "r2" : "accuracy",
                pass.progressive(),
                pass.progressiveOnTest(),
                pass.holdout(),
                pass.batch(),
                options.batch() ? BatchBaseline.describe(task) : null,
                pass.batchError,
                pass.batchTrainRows(),
                pass.majority(),
                pass.majorityHoldout(),
                pass.prior(),
                options.labelDelay(),
                pass.delayed(),
                pass.curve(),
                pass.learner().updatesRejected(),
                pass.holdoutLearner().updatesRejected(),
                nanos,
                pass.holdoutNanos,
                pass.batchNanos);
    }

    private static void check(RowSource data, LearnerConfig config) {
        if (!config.numericFeatures().equals(data.features())) {
            throw new IllegalArgumentException("the config's numeric features " + config.numericFeatures()
                    + " are not the dataset's " + data.features());
        }
        if (!config.categoricalFeatures().equals(data.categorical())) {
            throw new IllegalArgumentException("the config's categorical features " + config.categoricalFeatures()
                    + " are not the dataset's " + data.categorical());
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

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
