package dev.tributary.evaluation;

import java.util.Map;

/**
 * Figures sampled along the stream, every {@code events[i]} events, by series name. A plain name is
 * cumulative over the first {@code events[i]} events (test-then-train); the same name ending in
 * {@code .window} covers only the events since the tenth point before (about the last 5 % of a
 * 200-point stream). The series:
 * <ul>
 *   <li>classifiers: {@code accuracy}, {@code auc} (cumulative: from margins binned 1/128 of a unit
 *       wide, within about 0.001 of the exact figure), and for logistic regression {@code logloss} and
 *       {@code prior.logloss}, the running prior's ({@link dev.tributary.learn.RunningPrior});</li>
 *   <li>regression: {@code r2}, {@code rmse}, and {@code mean.rmse}, the mean-so-far predictor's;</li>
 *   <li>each but {@code r2} with its {@code .window} twin.</li>
 * </ul>
 *
 * <pre>{@code
 * LearningCurve curve = result.curve();
 * double[] windowed = curve.series().get("logloss.window");
 * double last = curve.values()[curve.size() - 1];   // the headline metric, cumulative
 * }</pre>
 *
 * @param metric the headline series, {@code accuracy} or {@code r2}
 * @param events event counts, increasing, the last one being every event
 * @param series each series' values at those counts, in a stable order
 */
public record LearningCurve(String metric, long[] events, Map<String, double[]> series) {

    public LearningCurve {
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != events.length) {
                throw new IllegalArgumentException("series " + e.getKey() + " differs in length from the events");
            }
        }
        if (!series.containsKey(metric)) {
            throw new IllegalArgumentException("no series for the headline metric " + metric);
        }
    }

    /** The headline metric, cumulative. */
    public double[] values() {
        return series.get(metric);
    }

    public int size() {
        return events.length;
    }
}
