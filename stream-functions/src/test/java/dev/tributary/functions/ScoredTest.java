package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Event;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoredTest {
    private static final Scored.Source SOURCE = new Scored.Source("events", 2, 40);

    private static Scored.Predicted predicted(Double label, byte[] trainingValue) {
        Event event = new Event("e-1", "m", Map.of("x", 1.0), Map.of(), label, 0L);
        return new Scored.Predicted(event, null, trainingValue, SOURCE);
    }

    @Test
    void aPredictionWithItsLabelTrainsAndOneWithoutWaitsForItWhenItWillTrain() {
        assertThat(predicted(1.0, new byte[] {1}).labelled()).isTrue();
        assertThat(predicted(1.0, new byte[] {1}).awaitsLabel()).isFalse();
        assertThat(predicted(null, new byte[] {1}).labelled()).isFalse();
        assertThat(predicted(null, new byte[] {1}).awaitsLabel()).isTrue();
        assertThat(predicted(null, null).awaitsLabel())
                .as("not trained from here: no wait")
                .isFalse();
        assertThat(predicted(1.0, null).model()).isEqualTo("m");
    }

    @Test
    void aJoinedLabelTrainsFromItsEventsSource() {
        PendingLabel seen = PendingLabel.waiting(
                10L,
                dev.tributary.schema.Prediction.newBuilder()
                        .setEventId("e-1")
                        .setModel("m")
                        .setModelVersion(1L)
                        .setAlgorithm(dev.tributary.schema.Algorithm.LOGISTIC_REGRESSION)
                        .setValue(0.5)
                        .setPredictedClass(1)
                        .setMargin(0.0)
                        .setEventTimestamp(0L)
                        .setScoredAt(0L)
                        .setShadows(null)
                        .build(),
                "events",
                2,
                40,
                new byte[] {1});
        Scored.Joined joined = Scored.joined("m", "e-1", 1.0, 5L, new byte[] {2}, seen);
        assertThat(joined.labelled()).isTrue();
        assertThat(joined.source()).isEqualTo(SOURCE);
        assertThat(joined.model()).isEqualTo("m");
    }
}
