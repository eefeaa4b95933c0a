package dev.tributary.evaluation;

/**
 * How an evaluation runs.
 *
 * @param trainFraction the leading share of the rows that trains the hold-out models (the rest tests them), in (0, 1)
 * @param curvePoints   about how many points the learning curve gets (at least 1)
 * @param batch         whether to train the Tribuo liblinear batch baseline
 */
public record EvaluationOptions(double trainFraction, int curvePoints, boolean batch) {

    public EvaluationOptions {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be between 0 and 1, got " + trainFraction);
        }
        if (curvePoints < 1) {
            throw new IllegalArgumentException("curvePoints must be at least 1, got " + curvePoints);
        }
    }

    /** 80 % / 20 % split, about 200 curve points, with the batch baseline. */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(0.8, 200, true);
    }

    public EvaluationOptions withBatch(boolean value) {
        return new EvaluationOptions(trainFraction, curvePoints, value);
    }

    public EvaluationOptions withCurvePoints(int value) {
        return new EvaluationOptions(trainFraction, value, batch);
    }
}
