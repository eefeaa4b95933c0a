package dev.tributary.functions;

import static dev.tributary.functions.LabelledTopology.TOPICS;
import static dev.tributary.functions.LabelledTopology.WAIT_MS;
import static dev.tributary.functions.LabelledTopology.header;
import static dev.tributary.functions.LabelledTopology.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Feedback;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.serde.AvroCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a delayed label joins its event, on the whole topology (score, join, train). */
class FeedbackJoinTest extends DelayedLabelTest {
    @Test
    void matchingFeedbackTrainsOnceAndRecordsThePredictionTheUserGot() {
        t.event("ctr", "imp-1", 1.0);
        assertThat(t.predictions.readValuesToList()).hasSize(1);
        assertThat(t.versions()).isEmpty(); // no label yet: nothing learned
        assertThat(t.stats.labelsAwaited.sum()).isOne();
        assertThat(t.stats.pendingLabels.sum()).isOne();
        assertThat(t.stats.pendingLabelBytes.sum()).isPositive();

        t.feedback("ctr", "imp-1", 1.0);
        List<ModelVersion> learned = t.versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getModel()).isEqualTo("ctr");
        assertThat(learned.get(0).getExamplesSeen()).isOne();
        // Version 0 (zero weights) answered p = 0.5, class 1: right for label 1.
        assertThat(learned.get(0).getMetrics())
                .containsEntry("delayed.accuracy", 1.0)
                .containsEntry("delayed.count", 1.0)
                .containsEntry("delayed.logloss", Math.log(2));
        assertThat(learned.get(0).getSourceOffsets())
                .singleElement()
                .satisfies(r -> assertThat(r.getTopic()).isEqualTo(TOPICS.events()));
        assertThat(t.noDeadLetters()).isTrue();
        assertThat(t.stats.feedbackJoined.sum()).isOne();
        assertThat(t.stats.joinRatio()).isEqualTo(1.0);
    }

    @Test
    void theDelayedMetricScoresTheServedPredictionNotTheModelThatLearnsIt() {
        // The trainer learns "x1 = 1 is class 0" from labelled events; the served version stays 0 (p = 0.5, class 1).
        for (int i = 0; i < 30; i++) {
            t.labelledEvent("ctr", "t" + i, 1.0, 0.0);
        }
        t.event("ctr", "imp-1", 1.0);
        t.feedback("ctr", "imp-1", 1.0);
        List<ModelVersion> learned = t.versions();
        ModelVersion last = learned.get(learned.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(31);
        assertThat(last.getMetrics()).containsEntry("delayed.accuracy", 1.0).containsEntry("delayed.count", 1.0);
        assertThat(last.getMetrics().get("accuracy")).isLessThan(1.0); // test-then-train got the last one wrong
    }

    @Test
    void feedbackThatComesBeforeItsEventJoinsItWhenItIsScored() {
        t.feedback("ctr", "imp-1", 1.0);
        t.feedback("ctr", "imp-1", 0.0); // a second label before the event: a duplicate
        assertThat(header(t.deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("DUPLICATE_FEEDBACK");
        t.event("ctr", "imp-1", 1.0);
        List<ModelVersion> learned = t.versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getMetrics()).containsEntry("delayed.accuracy", 1.0); // it learned label 1
        assertThat(t.stats.feedbackJoined.sum()).isOne();
        t.feedback("ctr", "imp-1", 1.0); // and one after it joined
        assertThat(header(t.deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("DUPLICATE_FEEDBACK");
        t.advance(2 * WAIT_MS + 1_000);
        assertThat(t.versions()).isEmpty(); // neither the held label nor the marker trains again
        assertThat(t.noDeadLetters()).isTrue();
        assertThat(t.stats.pendingLabels.sum()).isZero();
    }

    @Test
    void aRegressionLabelJoinsWithItsError() {
        t.event("eta", "d-1", 3.0);
        t.feedback("eta", "d-1", 42.5);
        ModelVersion v = t.versions().get(0);
        assertThat(v.getExamplesSeen()).isOne();
        assertThat(v.getMetrics()).containsEntry("delayed.rmse", 42.5).containsEntry("delayed.mae", 42.5);
    }

    @Test
    void avroFeedbackJoinsLikeJson() {
        t.event("ctr", "imp-1", 1.0);
        t.feedback.pipeInput(utf8("imp-1"), AvroCodec.of(Feedback.class).encode(new Feedback("imp-1", "ctr", 1.0, 5L)));
        assertThat(t.versions()).hasSize(1);
    }

    @Test
    void anEventWithItsLabelTrainsAtOnceAndWaitsForNothing() {
        t.labelledEvent("ctr", "imp-1", 1.0, 1.0);
        List<ModelVersion> learned = t.versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getMetrics()).doesNotContainKey("delayed.count");
        assertThat(t.stats.labelsAwaited.sum()).isZero();
        assertThat(t.stats.pendingLabels.sum()).isZero();
        t.feedback("ctr", "imp-1", 1.0);
        t.advance(WAIT_MS + 1_000);
        assertThat(header(t.deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(t.versions()).isEmpty();
    }

    @Test
    void theSameIdOfTwoModelsWaitsTwice() {
        t.event("ctr", "same", 1.0);
        t.event("eta", "same", 1.0);
        t.feedback("eta", "same", 4.0);
        t.feedback("ctr", "same", 1.0);
        assertThat(t.versions()).extracting(ModelVersion::getModel).containsExactly("eta", "ctr");
        assertThat(t.noDeadLetters()).isTrue();
    }
}
