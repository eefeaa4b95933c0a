package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void regressionMetricsMatchDirectFormulas() {
        double[] pred = {1.0, 2.5, 2.0, 7.0, -1.0};
        double[] y = {1.5, 2.0, 4.0, 6.0, 0.0};
        Metrics m = Metrics.create(Task.REGRESSION, null);
        for (int i = 0; i < y.length; i++) {
            m.update(pred[i], y[i]);
        }
        double mean = (1.5 + 2.0 + 4.0 + 6.0 + 0.0) / 5;
        double sst = 0;
        double sse = 0;
        double sae = 0;
        for (int i = 0; i < y.length; i++) {
            sst += (y[i] - mean) * (y[i] - mean);
            sse += (pred[i] - y[i]) * (pred[i] - y[i]);
            sae += Math.abs(pred[i] - y[i]);
        }
        Map<String, Double> v = m.values();
        assertThat(v).containsOnlyKeys("mae", "rmse", "r2", "count");
        assertThat(v.get("mae")).isCloseTo(sae / 5, within(1e-12));
        assertThat(v.get("rmse")).isCloseTo(Math.sqrt(sse / 5), within(1e-12));
        assertThat(v.get("r2")).isCloseTo(1 - sse / sst, within(1e-12));
        assertThat(v.get("count")).isEqualTo(5.0);
        Metrics restored = Metrics.create(Task.REGRESSION, m.state());
        assertThat(restored.values()).isEqualTo(v);
    }

    @Test
    void classificationMetricsCountClassOneAsPositive() {
        // margins -> predicted class m >= 0; labels
        double[] margins = {2.0, 1.0, -1.0, -3.0, 0.5, -0.2};
        double[] y = {1, 0, 1, 0, 1, 0}; // tp, fp, fn, tn, tp, tn
        Metrics m = Metrics.create(Task.LOGISTIC, null);
        double ll = 0;
        double priorLl = 0;
        int ones = 0;
        for (int i = 0; i < y.length; i++) {
            m.update(margins[i], y[i]);
            double p = 1 / (1 + Math.exp(-margins[i]));
            ll -= y[i] == 1 ? Math.log(p) : Math.log(1 - p);
            double prior = (ones + 0.5) / (i + 1); // within its first 1,000 labels
            priorLl -= y[i] == 1 ? Math.log(prior) : Math.log(1 - prior);
            ones += (int) y[i];
        }
        Map<String, Double> v = m.values();
        assertThat(v)
                .containsOnlyKeys("accuracy", "logloss", "priorLogloss", "precision", "recall", "f1", "auc", "count");
        assertThat(v.get("priorLogloss")).isCloseTo(priorLl / 6, within(1e-12));
        // positives 2, -1, 0.5 against negatives 1, -3, -0.2: 6 of the 9 pairs in order
        assertThat(v.get("auc")).isCloseTo(6.0 / 9, within(1e-12));
        assertThat(v.get("accuracy")).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(v.get("precision")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.get("recall")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.get("f1")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.get("logloss")).isCloseTo(ll / 6, within(1e-12));
        assertThat(Metrics.create(Task.LOGISTIC, m.state()).values()).isEqualTo(v);

        Metrics svm = Metrics.create(Task.SVM, null);
        svm.update(1.0, 1);
        assertThat(svm.values())
                .doesNotContainKeys("logloss", "priorLogloss", "auc")
                .containsEntry("accuracy", 1.0);
        svm.update(-1.0, 0);
        assertThat(svm.values()).containsEntry("auc", 1.0);
    }

    @Test
    void stateWrittenBeforeTheAucAndThePriorRestoresWithoutThem() {
        Map<String, Double> old = Map.of("tp", 3.0, "fp", 1.0, "tn", 5.0, "fn", 1.0, "logLossSum", 4.0);
        Metrics m = Metrics.create(Task.LOGISTIC, old);
        assertThat(m.values()).containsEntry("accuracy", 0.8).doesNotContainKey("auc");
        m.update(2.0, 1);
        m.update(-2.0, 0);
        assertThat(m.values()).containsEntry("auc", 1.0);
    }

    @Test
    void theRunningPriorFollowsTheRecentPositiveRate() {
        RunningPrior prior = new RunningPrior(100);
        for (int i = 0; i < 1000; i++) {
            prior.add(i % 5 == 0 ? 1 : 0);
        }
        assertThat(prior.probability()).isCloseTo(0.2, within(0.02));
        for (int i = 0; i < 500; i++) {
            prior.add(i % 5 == 0 ? 0 : 1);
        }
        assertThat(prior.probability())
                .as("500 labels after the rate went to 0.8")
                .isCloseTo(0.8, within(0.03));
    }

    @Test
    void theBinnedAucIsCloseToTheExactOne() {
        java.util.Random random = new java.util.Random(2);
        RunningAuc binned = RunningAuc.standard();
        int n = 20_000;
        double[] pos = new double[n];
        double[] neg = new double[n];
        for (int i = 0; i < n; i++) {
            pos[i] = random.nextGaussian() * 1.5 - 0.5;
            neg[i] = random.nextGaussian() * 1.5 - 1.5;
            binned.add(pos[i], 1);
            binned.add(neg[i], 0);
        }
        java.util.Arrays.sort(neg);
        double pairs = 0;
        for (double p : pos) {
            pairs += java.util.Arrays.binarySearch(neg, p) < 0 ? -java.util.Arrays.binarySearch(neg, p) - 1 : 0;
        }
        assertThat(binned.value()).isCloseTo(pairs / ((double) n * n), within(0.005));
    }

    @Test
    void logLossIsClippedAt1e15() {
        Metrics m = Metrics.create(Task.LOGISTIC, null);
        m.update(1000, 0); // p = 1 for a negative
        assertThat(m.values().get("logloss")).isCloseTo(-Math.log(1e-15), within(1e-3));
    }

    @Test
    void emptyMetricsReadZero() {
        assertThat(Metrics.create(Task.REGRESSION, null).values())
                .containsEntry("r2", 0.0)
                .containsEntry("count", 0.0);
        assertThat(Metrics.create(Task.SVM, Map.of()).values()).containsEntry("f1", 0.0);
    }
}
