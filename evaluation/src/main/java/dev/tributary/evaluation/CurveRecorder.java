package dev.tributary.evaluation;

import dev.tributary.learn.ClassificationFigures;
import dev.tributary.learn.Learner;
import dev.tributary.learn.RegressionFigures;
import dev.tributary.learn.RunningAuc;
import dev.tributary.learn.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link LearningCurve}: fed every row of the progressive pass, it samples every {@code every}
 * rows. A windowed figure covers the last {@link #WINDOW_POINTS} intervals between points (a twentieth
 * of a 200-point stream), enough rows to read on a short file and short enough to show a drift.
 */
final class CurveRecorder {

    static final int WINDOW_POINTS = 10;

    private final Task task;
    private final int every;
    private final long[] events;
    private final Map<String, double[]> series = new LinkedHashMap<>();
    private final RunningAuc cumulativeAuc = new RunningAuc(4096, 16);
    private int point;
    private long rows;
    // The current interval, and the last WINDOW_POINTS closed ones (a ring).
    private long windowRows;
    private long windowRight;
    private double windowLoss;
    private double windowBaselineLoss;
    private RunningAuc windowAuc;
    private final long[] ringRows = new long[WINDOW_POINTS];
    private final long[] ringRight = new long[WINDOW_POINTS];
    private final double[] ringLoss = new double[WINDOW_POINTS];
    private final double[] ringBaselineLoss = new double[WINDOW_POINTS];
    private final RunningAuc[] ringAuc = new RunningAuc[WINDOW_POINTS];
    /** The mean-so-far predictor's sum of squared errors over the closed intervals, for the cumulative {@code mean.rmse}. */
    private double baselineSse;

    CurveRecorder(Task task, int totalRows, int curvePoints) {
        this.task = task;
        this.every = Math.max(1, (int) Math.ceil(totalRows / (double) curvePoints));
        int points = (totalRows + every - 1) / every;
        this.events = new long[points];
        List<String> names = switch (task) {
            case REGRESSION -> List.of("r2", "rmse", "mean.rmse", "rmse.window", "mean.rmse.window");
            case LOGISTIC ->
                List.of(
                        "accuracy",
                        "logloss",
                        "prior.logloss",
                        "auc",
                        "accuracy.window",
                        "logloss.window",
                        "prior.logloss.window",
                        "auc.window");
            case SVM -> List.of("accuracy", "auc", "accuracy.window", "auc.window");
        };
        for (String name : names) {
            series.put(name, new double[points]);
        }
        windowAuc = newWindowAuc();
    }

    private static RunningAuc newWindowAuc() {
        return new RunningAuc(1024, 16);
    }

    /**
     * One row of the progressive pass, after the learner learnt it.
     *
     * @param margin   the learner's margin before learning the row
     * @param y        the label
     * @param baseline the running prior's log loss on the row (logistic) or the mean-so-far's prediction (regression)
     */
    void add(Learner learner, double margin, double y, double baseline, boolean last) {
        rows++;
        windowRows++;
        if (task == Task.REGRESSION) {
            double e = learner.output(margin) - y;
            windowLoss += e * e;
            windowBaselineLoss += (baseline - y) * (baseline - y);
            windowRight = 0;
        } else {
            cumulativeAuc.add(margin, y);
            windowAuc.add(margin, y);
            if (learner.predictedClass(margin) == (int) y) {
                windowRight++;
            }
            if (task == Task.LOGISTIC) {
                windowLoss += ClassificationFigures.logLoss(learner.output(margin), y);
                windowBaselineLoss += baseline;
            }
        }
        if (rows % every == 0 || last) {
            sample(learner);
        }
    }

    private void sample(Learner learner) {
        Map<String, Double> cumulative = learner.metrics().values();
        events[point] = rows;
        int slot = point % WINDOW_POINTS;
        baselineSse += windowBaselineLoss;
        ringRows[slot] = windowRows;
        ringRight[slot] = windowRight;
        ringLoss[slot] = windowLoss;
        ringBaselineLoss[slot] = windowBaselineLoss;
        ringAuc[slot] = windowAuc;
        long n = 0;
        long right = 0;
        double loss = 0;
        double baselineLoss = 0;
        RunningAuc auc = newWindowAuc();
        for (int k = 0; k < Math.min(point + 1, WINDOW_POINTS); k++) {
            n += ringRows[k];
            right += ringRight[k];
            loss += ringLoss[k];
            baselineLoss += ringBaselineLoss[k];
            auc.addAll(ringAuc[k]);
        }
        if (task == Task.REGRESSION) {
            put("r2", cumulative.get("r2"));
            put("rmse", cumulative.get("rmse"));
            put("mean.rmse", RegressionFigures.rmse(baselineSse, rows));
            put("rmse.window", RegressionFigures.rmse(loss, n));
            put("mean.rmse.window", RegressionFigures.rmse(baselineLoss, n));
        } else {
            put("accuracy", cumulative.get("accuracy"));
            put("auc", cumulativeAuc.value());
            put("accuracy.window", right / (double) n);
            put("auc.window", auc.value());
            if (task == Task.LOGISTIC) {
                put("logloss", cumulative.get("logloss"));
                put("prior.logloss", cumulative.get("priorLogloss"));
                put("logloss.window", loss / n);
                put("prior.logloss.window", baselineLoss / n);
            }
        }
        point++;
        windowRows = 0;
        windowRight = 0;
        windowLoss = 0;
        windowBaselineLoss = 0;
        windowAuc = newWindowAuc();
    }

    private void put(String name, Double value) {
        series.get(name)[point] = value == null ? Double.NaN : value;
    }

    LearningCurve curve() {
        return new LearningCurve(task == Task.REGRESSION ? "r2" : "accuracy", events, series);
    }
}
