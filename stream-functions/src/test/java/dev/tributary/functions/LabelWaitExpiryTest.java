package dev.tributary.functions;

import static dev.tributary.functions.LabelledTopology.TOPICS;
import static dev.tributary.functions.LabelledTopology.WAIT_MS;
import static dev.tributary.functions.LabelledTopology.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The end of label waits: the default label, a drop, or held feedback that never met its event. */
class LabelWaitExpiryTest extends DelayedLabelTest {
    @Test
    void feedbackForAnIdNeverScoredIsAnUnmatchedDeadLetterOnceTheWaitIsOver() {
        t.feedback("ctr", "nobody", 1.0);
        assertThat(t.noDeadLetters()).isTrue(); // held: its event may be behind
        assertThat(t.stats.feedbackEarly.sum()).isOne();
        assertThat(t.stats.pendingLabels.sum()).isOne();
        // docs/operations.md: 52 bytes + 2·|MODEL/ID| + |topic| + the record's key and value
        String value = "{\"id\":\"nobody\",\"model\":\"ctr\",\"label\":1.0}";
        assertThat(t.stats.pendingLabelBytes.sum())
                .isEqualTo(52
                        + 2 * "ctr/nobody".length()
                        + TOPICS.feedback().length()
                        + "nobody".length()
                        + value.length());
        t.advance(WAIT_MS + 1_000);
        TestRecord<byte[], byte[]> dead = t.deadLetters().get(0);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(header(dead, DeadLetters.ERROR_MESSAGE))
                .contains("no event 'nobody' of model 'ctr' waited for this "
                        + "label, nor was one scored within the label wait of " + WAIT_MS + " ms after it");
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo(TOPICS.feedback());
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("nobody");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("\"nobody\"");
        assertThat(t.versions()).isEmpty();
        assertThat(t.stats.feedbackUnmatched.sum()).isOne();
        assertThat(t.stats.feedbackDeadLetters.sum()).isOne();
        assertThat(t.stats.pendingLabels.sum()).isZero();
        assertThat(t.stats.pendingLabelBytes.sum()).isZero();
    }

    @Test
    void anExpiredWaitTrainsWithTheDefaultLabel() {
        t.event("ctr", "imp-1", 1.0);
        t.advance(WAIT_MS / 2);
        assertThat(t.versions()).isEmpty();
        t.advance(WAIT_MS / 2 + 1_000);
        List<ModelVersion> learned = t.versions();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).getExamplesSeen()).isOne();
        // The user saw class 1; the default label is 0.
        assertThat(learned.get(0).getMetrics()).containsEntry("delayed.accuracy", 0.0);
        assertThat(t.stats.labelWaitsDefaulted.sum()).isOne();
        assertThat(t.stats.pendingLabels.sum()).isZero();

        t.feedback("ctr", "imp-1", 1.0); // too late: held, and no event comes for it
        t.advance(WAIT_MS + 1_000);
        assertThat(header(t.deadLetters().get(0), DeadLetters.ERROR_CLASS)).isEqualTo("UNMATCHED_FEEDBACK");
        assertThat(t.versions()).isEmpty();
    }

    @Test
    void anExpiredWaitWithoutADefaultLabelIsDroppedAndCounted() {
        t.event("eta", "d-1", 3.0);
        t.advance(WAIT_MS + 1_000);
        assertThat(t.versions()).isEmpty();
        assertThat(t.stats.labelWaitsDropped.sum()).isOne();
        assertThat(t.stats.labelWaitsDefaulted.sum()).isZero();
        assertThat(t.stats.pendingLabels.sum()).isZero();
        assertThat(t.stats.joinRatio()).isZero();
    }

    @Test
    void anIdPublishedAgainWaitsFromItsLatestEventAndExpiresOnce() {
        t.event("ctr", "imp-1", 1.0);
        t.advance(WAIT_MS / 2);
        t.event("ctr", "imp-1", 1.0); // replaces the first: its wait starts again
        assertThat(t.stats.pendingLabels.sum()).isOne();
        t.advance(WAIT_MS / 2 + 1_000); // the first wait would end here
        assertThat(t.versions()).isEmpty();
        assertThat(t.stats.pendingLabels.sum()).isOne();
        t.advance(WAIT_MS / 2);
        assertThat(t.versions()).hasSize(1);
        assertThat(t.stats.labelWaitsDefaulted.sum()).isOne();
        assertThat(t.stats.pendingLabels.sum()).isZero();
        assertThat(t.stats.pendingLabelBytes.sum()).isZero();
    }
}
