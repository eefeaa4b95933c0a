package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.TrainingExample;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CheckpointOrJournalTest {
    private static final int VALUE_BYTES = 100;
    private static final int ENTRY_BYTES = VALUE_BYTES + CheckpointOrJournal.JOURNAL_ENTRY_OVERHEAD_BYTES;

    private static TrainingExample example(long sequence) {
        return new TrainingExample(sequence, null, null, ByteBuffer.wrap(new byte[VALUE_BYTES]), 0L);
    }

    @Test
    void aFewExamplesAreJournalledAndMoreThanTheStateWeighsMakeACheckpoint() {
        CheckpointOrJournal writes = new CheckpointOrJournal(3L * ENTRY_BYTES, 0);
        writes.learned(example(1), VALUE_BYTES);
        writes.learned(example(2), VALUE_BYTES);
        assertThat(writes.checkpointDue()).isFalse();
        assertThat(writes.pending()).extracting(TrainingExample::getSequence).containsExactly(1L, 2L);

        writes.learned(example(3), VALUE_BYTES);
        assertThat(writes.checkpointDue()).as("as many bytes as the state").isTrue();
        assertThat(writes.pending()).isEmpty();
        writes.learned(example(4), VALUE_BYTES);
        assertThat(writes.pending()).as("the checkpoint holds it").isEmpty();

        writes.checkpointWritten(4);
        writes.committed();
        assertThat(writes.checkpointDue()).isFalse();
        writes.learned(example(5), VALUE_BYTES);
        assertThat(writes.pending()).extracting(TrainingExample::getSequence).containsExactly(5L);
        assertThat(writes.slotOf(5)).as("slots count from the last checkpoint").isEqualTo(1);
    }

    @Test
    void aPublicationMakesTheNextCommitCheckpoint() {
        CheckpointOrJournal writes = new CheckpointOrJournal(1_000_000, 10);
        writes.learned(example(11), VALUE_BYTES);
        writes.checkpointNext();
        assertThat(writes.checkpointDue()).isTrue();
        assertThat(writes.pending()).isEmpty();
        assertThat(writes.slotOf(12))
                .as("until it is written, slots count from the last one")
                .isEqualTo(2);
    }

    @Test
    void journalKeysSortBySlotWithinTheirModel() {
        assertThat(TrainerStateWriter.journalKey("m", 7)).isEqualTo("m/0000000007");
        assertThat(TrainerStateWriter.journalKey("m", 1234567890L)).isEqualTo("m/1234567890");
        assertThat(TrainerStateWriter.journalKey("m", 9).compareTo(TrainerStateWriter.journalKey("m", 10)))
                .isNegative();
    }
}
