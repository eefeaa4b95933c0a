package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.TrainingExample;
import org.junit.jupiter.api.Test;

class CheckpointOrJournalTest {
    private static final int VALUE_BYTES = 100;
    private static final int ENTRY_BYTES = VALUE_BYTES + CheckpointOrJournal.JOURNAL_ENTRY_OVERHEAD_BYTES;

    @Test
    void aFewExamplesAreJournalledAndMoreThanTheStateWeighsMakeACheckpoint() {
        CheckpointOrJournal writes = new CheckpointOrJournal(3L * ENTRY_BYTES, 0);
        writes.learned(1, null, new byte[VALUE_BYTES], 0L);
        writes.learned(2, null, new byte[VALUE_BYTES], 0L);
        assertThat(writes.checkpointDue()).isFalse();
        assertThat(writes.pending()).extracting(TrainingExample::getSequence).containsExactly(1L, 2L);

        writes.learned(3, null, new byte[VALUE_BYTES], 0L);
        assertThat(writes.checkpointDue()).as("as many bytes as the state").isTrue();
        assertThat(writes.pending()).isEmpty();
        writes.learned(4, null, new byte[VALUE_BYTES], 0L);
        assertThat(writes.pending()).as("the checkpoint holds it").isEmpty();

        writes.checkpointWritten(4);
        writes.committed();
        assertThat(writes.checkpointDue()).isFalse();
        writes.learned(5, null, new byte[VALUE_BYTES], 0L);
        assertThat(writes.pending()).extracting(TrainingExample::getSequence).containsExactly(5L);
        assertThat(writes.slotOf(5)).as("slots count from the last checkpoint").isEqualTo(1);
    }

    @Test
    void aJournalEntryKeepsTheExampleItsSourceAndTimestamp() {
        CheckpointOrJournal writes = new CheckpointOrJournal(1_000_000, 0);
        byte[] value = {1, 2, 3};
        writes.learned(1, new SourceHeaders.Source("events", 2, 40), value, 77L);
        writes.learned(2, null, value, 78L);

        TrainingExample first = writes.pending().get(0);
        assertThat(first.getSource()).isEqualTo(new OffsetRange("events", 2, 40L, 40L));
        assertThat(first.getRecordTimestamp()).isEqualTo(77L);
        assertThat(first.getValue().remaining()).isEqualTo(3);
        assertThat(writes.pending().get(1).getSource()).isNull();
    }

    @Test
    void aPublicationMakesTheNextCommitCheckpoint() {
        CheckpointOrJournal writes = new CheckpointOrJournal(1_000_000, 10);
        writes.learned(11, null, new byte[VALUE_BYTES], 0L);
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
