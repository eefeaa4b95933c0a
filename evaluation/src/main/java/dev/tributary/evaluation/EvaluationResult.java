package dev.tributary.evaluation;

import dev.tributary.learn.LearnerConfig;
import java.util.Map;

/**
 * Every figure of one evaluation. Figure maps use the keys of {@link Scores}: regression
 * {@code mae, rmse, r2, count}; classification {@code accuracy, logloss} (logistic only){@code ,
 * precision, recall, f1, auc, count}.
 *
 * @param dataset               the dataset's name
 * @param config                the learner evaluated
 * @param rows                  events streamed
 * @param trainRows             rows before the split (hold-out and batch models train on them)
 * @param testRows              rows after the split (hold-out and batch models are scored on them)
 * @param metric                the headline metric: {@code accuracy} (classifiers) or {@code r2} (regression)
 * @param progressive           the learner's progressive (test-then-train) figures over every row, with the AUC
 *                              of the margins it predicted before learning each row
 * @param progressiveOnTest     the same progressive predictions, on the test rows only: the online figure to set
 *                              against the batch one
 * @param holdout               the same learner after one online pass over the training rows, frozen, on the test rows
 * @param batch                 the batch baseline ({@link BatchBaseline}) on the test rows, or null
 * @param batchModel            what the batch baseline is, e.g. {@code liblinear L2R_LR (-s 0), C=1}
 * @param batchError            why there is no batch figure (null when there is one or it was not asked for)
 * @param batchTrainRows        the training rows the batch model learnt from: all of them, or a uniform sample
 * @param majorityProgressive   the trivial predictor, test-then-train over every row: the most frequent class so far
 *                              (ties: 0) with probability (n₁ + ½)/(n + 1), or the mean of the labels so far
 * @param majorityHoldout       the trivial predictor fitted on the training rows, on the test rows
 * @param prior                 classifiers: the running prior ({@link dev.tributary.learn.RunningPrior}),
 *                              test-then-train over every row; null for regression
 * @param labelDelay            0, or N: the label of row i reached the delayed learner after row i + N
 * @param delayed               with a label delay, the delayed learner's figures over every row: each prediction
 *                              made when its row arrived, scored against its label; else null
 * @param curve                 figures along the stream ({@link LearningCurve})
 * @param updatesRejected       updates the learner's guard refused in the progressive pass
 * @param holdoutUpdatesRejected updates refused while training the hold-out learner
 * @param progressiveNanos      wall time of the pass (reading, every learner, the baselines' scoring)
 * @param holdoutNanos          wall time of training and scoring the hold-out learner (within the pass)
 * @param batchNanos            wall time of training and scoring the batch baseline (0 without one)
 */
public record EvaluationResult(
        String dataset,
        LearnerConfig config,
        int rows,
        int trainRows,
        int testRows,
        String metric,
        Map<String, Double> progressive,
        Map<String, Double> progressiveOnTest,
        Map<String, Double> holdout,
        Map<String, Double> batch,
        String batchModel,
        String batchError,
        int batchTrainRows,
        Map<String, Double> majorityProgressive,
        Map<String, Double> majorityHoldout,
        Map<String, Double> prior,
        int labelDelay,
        Map<String, Double> delayed,
        LearningCurve curve,
        long updatesRejected,
        long holdoutUpdatesRejected,
        long progressiveNanos,
        long holdoutNanos,
        long batchNanos) {

    /** The headline metric of the progressive pass. */
    public double progressiveMetric() {
        return progressive.get(metric);
    }

    /** The headline metric of the online learner on the test rows. */
    public double holdoutMetric() {
        return holdout.get(metric);
    }

    /** The headline metric of the batch baseline on the test rows (NaN without one). */
    public double batchMetric() {
        return batch == null ? Double.NaN : batch.get(metric);
    }

    /** Events per second of the pass. */
    public double eventsPerSecond() {
        return progressiveNanos > 0 ? rows * 1e9 / progressiveNanos : Double.NaN;
    }
}
