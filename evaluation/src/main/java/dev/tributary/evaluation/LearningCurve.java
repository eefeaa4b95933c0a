package dev.tributary.evaluation;

/**
 * A progressive metric sampled along the stream: {@code values[i]} is the metric over the first
 * {@code events[i]} events (cumulative, test-then-train).
 *
 * @param metric the metric's key, {@code accuracy} or {@code r2}
 * @param events event counts, increasing, the last one being every event
 * @param values the metric after each of those counts
 */
public record LearningCurve(String metric, long[] events, double[] values) {

    public LearningCurve {
        if (events.length != values.length) {
            throw new IllegalArgumentException("events and values differ in length");
        }
    }

    public int size() {
        return events.length;
    }
}
