package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.schema.ModelVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoScreenTest {
    @Test
    void theFeedbackModelShowsWhereItsLabelsComeFromAndItsDelayedMetric() {
        DemoModel feedback = DemoModel.feedback("demo-feedback", 100, 1);
        DemoModel inline = DemoModel.synthetic("demo-logistic", AlgorithmName.logistic, 100, 1);
        assertThat(feedback.spec().getLabelWaitMs()).isEqualTo(DemoModel.FEEDBACK_WAIT_MS);
        assertThat(DemoScreen.labels(feedback)).isEqualTo("feedback +3 s");
        assertThat(DemoScreen.labels(inline)).isEqualTo("on the event");

        ModelVersion v = ModelSpecs.initialVersion(feedback.spec(), 1L);
        v.setExamplesSeen(50);
        v.setMetrics(Map.of("accuracy", 0.9, "delayed.accuracy", 0.75));
        assertThat(DemoScreen.metric(v))
                .isEqualTo("accuracy " + Metrics.number(0.9) + " (delayed " + Metrics.number(0.75) + ")");
        v.setMetrics(Map.of("accuracy", 0.9));
        assertThat(DemoScreen.metric(v)).isEqualTo("accuracy " + Metrics.number(0.9));
        assertThat(DemoScreen.metric(null)).isEqualTo("-");
    }
}
