package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelayedMetricsTest {

    @Test
    void scoresThePredictionsUsersGotAgainstTheLabelsThatCameLater() {
        DelayedMetrics d = new DelayedMetrics(Task.LOGISTIC, Map.of());
        assertThat(d.values()).isEmpty();
        d.add(2.0, 1.0); // right
        d.add(-1.0, 1.0); // wrong
        d.add(-3.0, 0.0); // right
        Map<String, Double> v = d.values();
        assertThat(v).containsOnlyKeys("delayed.accuracy", "delayed.logloss", "delayed.count");
        assertThat(v.get("delayed.accuracy")).isCloseTo(2.0 / 3, within(1e-12));
        double logloss = (-Math.log(LogLoss.sigmoid(2.0))
                        - Math.log(LogLoss.sigmoid(-1.0))
                        - Math.log(1 - LogLoss.sigmoid(-3.0)))
                / 3;
        assertThat(v.get("delayed.logloss")).isCloseTo(logloss, within(1e-12));
        assertThat(v.get("delayed.count")).isEqualTo(3.0);
    }

    @Test
    void regressionReportsRmseAndMae() {
        DelayedMetrics d = new DelayedMetrics(Task.REGRESSION, Map.of());
        d.add(1.0, 3.0);
        d.add(5.0, 4.0);
        assertThat(d.values()).containsOnlyKeys("delayed.rmse", "delayed.mae", "delayed.count");
        assertThat(d.values().get("delayed.rmse")).isCloseTo(Math.sqrt((4.0 + 1.0) / 2), within(1e-12));
        assertThat(d.values().get("delayed.mae")).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void continuesFromItsStateAmongTheLearnersOwn() {
        DelayedMetrics d = new DelayedMetrics(Task.SVM, Map.of());
        d.add(1.0, 1.0);
        d.add(1.0, 0.0);
        Map<String, Double> metricState = new HashMap<>(Map.of("tp", 7.0, "fp", 1.0, "tn", 0.0, "fn", 0.0));
        metricState.putAll(d.state());
        DelayedMetrics restored = new DelayedMetrics(Task.SVM, metricState);
        assertThat(restored.values()).isEqualTo(d.values());
        restored.add(-1.0, 0.0);
        assertThat(restored.count()).isEqualTo(3);
        assertThat(restored.values().get("delayed.accuracy")).isCloseTo(2.0 / 3, within(1e-12));
    }
}
