package dev.tributary.evaluation;

/**
 * How an evaluation runs.
 *
 * <pre>{@code
 * EvaluationOptions options = EvaluationOptions.defaults().withLabelDelay(500).withBatch(false);
 * }</pre>
 *
 * @param trainFraction the leading share of the rows that trains the hold-out models (the rest tests them), in (0, 1)
 * @param curvePoints   about how many points the learning curve gets (at least 1)
 * @param batch         whether to train the Tribuo liblinear batch baseline
 * @param batchRows     the most training rows the batch baseline holds: a uniform sample of the training rows
 *                      when there are more (at least 1)
 * @param labelDelay    0, or N: also evaluate a learner that gets the label of row i only after row i + N
 */
public record EvaluationOptions(double trainFraction, int curvePoints, boolean batch, int batchRows, int labelDelay) {

    /** Enough for liblinear to settle on a few dozen features, small enough for a 512 MB heap. */
    public static final int DEFAULT_BATCH_ROWS = 100_000;

    public EvaluationOptions {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be between 0 and 1, got " + trainFraction);
        }
        if (curvePoints < 1) {
            throw new IllegalArgumentException("curvePoints must be at least 1, got " + curvePoints);
        }
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, got " + batchRows);
        }
        if (labelDelay < 0) {
            throw new IllegalArgumentException("labelDelay must be 0 or more, got " + labelDelay);
        }
    }

    /** 80 % / 20 % split, about 200 curve points, with the batch baseline on at most 100,000 rows, no label delay. */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(0.8, 200, true, DEFAULT_BATCH_ROWS, 0);
    }

    public EvaluationOptions withBatch(boolean value) {
        return new EvaluationOptions(trainFraction, curvePoints, value, batchRows, labelDelay);
    }

    public EvaluationOptions withCurvePoints(int value) {
        return new EvaluationOptions(trainFraction, value, batch, batchRows, labelDelay);
    }

    public EvaluationOptions withBatchRows(int value) {
        return new EvaluationOptions(trainFraction, curvePoints, batch, value, labelDelay);
    }

    public EvaluationOptions withLabelDelay(int value) {
        return new EvaluationOptions(trainFraction, curvePoints, batch, batchRows, value);
    }
}
