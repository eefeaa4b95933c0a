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
        double[] y = {1, 0, 1, 0, 1, 0};   // tp, fp, fn, tn, tp, tn
        Metrics m = Metrics.create(Task.LOGISTIC, null);
        double ll = 0;
        for (int i = 0; i < y.length; i++) {
            m.update(margins[i], y[i]);
            double p = 1 / (1 + Math.exp(-margins[i]));
            ll -= y[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        Map<String, Double> v = m.values();
        assertThat(v).containsOnlyKeys("accuracy", "logloss", "precision", "recall", "f1", "count");
        assertThat(v.get("accuracy")).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(v.get("precision")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.get("recall")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.get("f1")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.get("logloss")).isCloseTo(ll / 6, within(1e-12));
        assertThat(Metrics.create(Task.LOGISTIC, m.state()).values()).isEqualTo(v);

        Metrics svm = Metrics.create(Task.SVM, null);
        svm.update(1.0, 1);
        assertThat(svm.values()).doesNotContainKey("logloss").containsEntry("accuracy", 1.0);
    }

    @Test
    void logLossIsClippedAt1e15() {
        Metrics m = Metrics.create(Task.LOGISTIC, null);
        m.update(1000, 0);   // p = 1 for a negative
        assertThat(m.values().get("logloss")).isCloseTo(-Math.log(1e-15), within(1e-3));
    }

    @Test
    void emptyMetricsReadZero() {
        assertThat(Metrics.create(Task.REGRESSION, null).values()).containsEntry("r2", 0.0).containsEntry("count", 0.0);
        assertThat(Metrics.create(Task.SVM, Map.of()).values()).containsEntry("f1", 0.0);
    }
}
