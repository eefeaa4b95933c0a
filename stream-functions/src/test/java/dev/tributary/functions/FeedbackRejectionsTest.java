package dev.tributary.functions;

import static dev.tributary.functions.LabelledTopology.WAIT_MS;
import static dev.tributary.functions.LabelledTopology.header;
import static dev.tributary.functions.LabelledTopology.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The dead letters of feedback that cannot be learned. */
class FeedbackRejectionsTest extends DelayedLabelTest {
    @Test
    void aSecondFeedbackIsADuplicateDeadLetterAndNeverTrains() {
        t.event("ctr", "imp-1", 1.0);
        t.feedback("ctr", "imp-1", 1.0);
        t.feedback("ctr", "imp-1", 0.0);
        assertThat(t.versions()).hasSize(1);
        TestRecord<byte[], byte[]> dead = t.deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("DUPLICATE_FEEDBACK");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("already learned");
        assertThat(t.stats.feedbackDuplicate.sum()).isOne();
        // The joined marker is kept until the wait would have ended, then removed.
        assertThat(t.stats.pendingLabels.sum()).isOne();
        t.advance(WAIT_MS + 1_000);
        assertThat(t.stats.pendingLabels.sum()).isZero();
        assertThat(t.stats.pendingLabelBytes.sum()).isZero();
        assertThat(t.versions()).isEmpty(); // a marker never trains
    }

    @Test
    void aLabelOutsideZeroOrOneForAClassifierIsABadLabelAndTheEventKeepsWaiting() {
        t.event("ctr", "imp-1", 1.0);
        t.feedback("ctr", "imp-1", 2.0);
        TestRecord<byte[], byte[]> dead = t.deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("BAD_LABEL");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("label 2.0 is not 0 or 1");
        assertThat(t.versions()).isEmpty();
        t.feedback("ctr", "imp-1", 1.0);
        assertThat(t.versions()).hasSize(1);
    }

    @Test
    void aBadLabelBeforeItsEventIsRefusedAtOnce() {
        t.feedback("ctr", "imp-1", 7.0);
        assertThat(header(t.deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("BAD_LABEL");
        assertThat(t.stats.pendingLabels.sum()).isZero();
    }

    @Test
    void undecodableFeedbackIsADeadLetterWithTheReason() {
        t.feedback.pipeInput(utf8("k"), utf8("{\"id\":\"imp-1\",\"model\":\"ctr\"}"));
        TestRecord<byte[], byte[]> dead = t.deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("UNDECODABLE");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("missing 'label'");
    }

    @Test
    void aModelWithoutALabelWaitKeepsNothingAndSaysSoToItsFeedback() {
        t.event("spam", "s-1", 1.0);
        assertThat(t.predictions.readValuesToList()).hasSize(1);
        assertThat(t.stats.labelsAwaited.sum()).isZero();
        assertThat(t.stats.pendingLabels.sum()).isZero();
        t.feedback("spam", "s-1", 1.0);
        TestRecord<byte[], byte[]> dead = t.deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).contains("model 'spam' has no label wait");
        assertThat(t.versions()).isEmpty();
    }
}
