package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoFeedbackTest {
    static Event event(String id, Double label) {
        return Event.newBuilder()
                .setId(id)
                .setModel("demo-feedback")
                .setFeatures(Map.of("x1", 1.0))
                .setCategories(Map.of())
                .setLabel(label)
                .setTimestamp(5L)
                .build();
    }

    @Test
    void theEventGoesWithoutItsLabelAndTheLabelComesTheDelayAfterItsPrediction() {
        DemoFeedback feedback = new DemoFeedback(3_000);
        Event sent = feedback.hold(event("e1", 1.0));
        assertThat(sent.getLabel()).isNull();
        assertThat(sent.getId()).isEqualTo("e1");
        assertThat(sent.getFeatures()).containsEntry("x1", 1.0);
        feedback.hold(event("e2", 0.0));

        assertThat(feedback.due(100_000))
                .as("nothing is due before its prediction is seen")
                .isEmpty();
        feedback.scored("e2", 10_000);
        feedback.scored("e1", 11_000);
        assertThat(feedback.due(12_999)).isEmpty();
        assertThat(feedback.due(13_000)).containsExactly(new Feedback("e2", "demo-feedback", 0.0, 0L));
        assertThat(feedback.isEmpty()).isFalse();
        assertThat(feedback.due(20_000)).containsExactly(new Feedback("e1", "demo-feedback", 1.0, 0L));
        assertThat(feedback.isEmpty()).isTrue();
    }

    @Test
    void predictionsOfOtherEventsReleaseNothing() {
        DemoFeedback feedback = new DemoFeedback(3_000);
        Event plain = event("e1", null);
        assertThat(feedback.hold(plain)).isSameAs(plain);
        feedback.scored("e1", 0);
        feedback.scored("unknown", 0);
        assertThat(feedback.due(10_000)).isEmpty();
        assertThat(feedback.isEmpty()).isTrue();
    }
}
