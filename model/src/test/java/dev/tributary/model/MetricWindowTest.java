package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricWindowTest {
    private final Learner logistic = Learners.create(LearnerConfig.defaults(Task.LOGISTIC, List.of("x")));
    private final Learner regression = Learners.create(LearnerConfig.defaults(Task.REGRESSION, List.of("x")));

    @Test
    void accuracyCoversOnlyTheLastExamples() {
        MetricWindow w = new MetricWindow(Promotion.Metric.ACCURACY, 4);
        assertThat(w.value()).isNaN();
        // margin 1 predicts class 1
        w.add(logistic, 1, 1);
        w.add(logistic, 1, 1);
        w.add(logistic, 1, 0);
        assertThat(w.value()).isCloseTo(2.0 / 3, within(1e-12));
        for (int i = 0; i < 4; i++) {
            w.add(logistic, 1, 0);
        }
        assertThat(w.size()).isEqualTo(4);
        assertThat(w.value()).isZero();
        w.add(logistic, -1, 0);
        assertThat(w.value()).isEqualTo(0.25);
    }

    @Test
    void rmseAndMaeOfARegression() {
        MetricWindow rmse = new MetricWindow(Promotion.Metric.RMSE, 10);
        MetricWindow mae = new MetricWindow(Promotion.Metric.MAE, 10);
        for (double[] e : new double[][] {{1, 4}, {2, 2}, {3, 7}}) { // errors -3, 0, -4
            rmse.add(regression, e[0], e[1]);
            mae.add(regression, e[0], e[1]);
        }
        assertThat(rmse.value()).isCloseTo(Math.sqrt(25.0 / 3), within(1e-12));
        assertThat(mae.value()).isCloseTo(7.0 / 3, within(1e-12));
    }

    @Test
    void logLossOfTheProbability() {
        MetricWindow w = new MetricWindow(Promotion.Metric.LOGLOSS, 10);
        w.add(logistic, 0, 1); // p = 0.5
        assertThat(w.value()).isCloseTo(Math.log(2), within(1e-12));
    }

    @Test
    void aSavedWindowContinuesExactlyAndShrinksToANewCapacity() {
        MetricWindow w = new MetricWindow(Promotion.Metric.ACCURACY, 5);
        int[] hits = {1, 0, 1, 1, 0, 0, 1};
        for (int h : hits) {
            w.add(logistic, 1, h);
        }
        MetricWindow same = MetricWindow.restore(Promotion.Metric.ACCURACY, 5, w.toRecord());
        assertThat(same.value()).isEqualTo(w.value()).isEqualTo(3.0 / 5);
        same.add(logistic, 1, 1);
        w.add(logistic, 1, 1);
        assertThat(same.value()).isEqualTo(w.value());

        MetricWindow smaller = MetricWindow.restore(Promotion.Metric.ACCURACY, 2, w.toRecord());
        assertThat(smaller.size()).isEqualTo(2);
        assertThat(smaller.value()).as("the newest two: 1, 1").isEqualTo(1.0);
        assertThat(MetricWindow.restore(Promotion.Metric.LOGLOSS, 5, w.toRecord())
                        .size())
                .as("another metric")
                .isZero();
        assertThat(MetricWindow.restore(Promotion.Metric.ACCURACY, 5, null).size())
                .isZero();
    }

    @Test
    void theRunningSumDoesNotDriftOverManyLaps() {
        MetricWindow w = new MetricWindow(Promotion.Metric.MAE, 7);
        java.util.Random random = new java.util.Random(5);
        double[] last = new double[7];
        for (int i = 0; i < 100_000; i++) {
            double y = random.nextDouble() * 1e6;
            w.add(regression, 0, y);
            last[i % 7] = y;
        }
        assertThat(w.value()).isCloseTo(java.util.Arrays.stream(last).sum() / 7, within(1e-6));
    }
}
