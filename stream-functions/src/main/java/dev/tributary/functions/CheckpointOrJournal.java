package dev.tributary.functions;

import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.TrainingExample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one model writes at the next commit: its learner's full state as a checkpoint, or the
 * examples it learned since the last commit as journal entries, whichever is fewer bytes. A busy or
 * small model checkpoints, a large model that learned a few examples journals them; a publication
 * always makes the next commit checkpoint.
 */
final class CheckpointOrJournal {
    /** A journal entry's bytes besides the input value: key, sequence, source offsets, timestamp. */
    static final int JOURNAL_ENTRY_OVERHEAD_BYTES = 96;

    /** The learner's whole state, as a checkpoint, roughly (float64 vectors and the metric window). */
    private final long checkpointBytes;
    /** examplesSeen of the checkpoint last written: the journal's slots count from it. */
    private long checkpointed;
    /** Whether the next commit writes a checkpoint (then {@link #pending} is not kept). */
    private boolean checkpointDue;
    /** The examples learned since the last commit, for the journal, unless a checkpoint is due. */
    private final List<TrainingExample> pending = new ArrayList<>();

    private long pendingBytes;

    CheckpointOrJournal(long checkpointBytes, long checkpointed) {
        this.checkpointBytes = checkpointBytes;
        this.checkpointed = checkpointed;
    }

    /**
     * Keeps the example learned as number {@code sequence} for the journal, unless a checkpoint is due
     * (it then holds the example, and no journal entry is made for it).
     *
     * @param source where it entered, or null
     */
    void learned(long sequence, SourceHeaders.Source source, byte[] value, long timestamp) {
        if (checkpointDue) {
            return;
        }
        OffsetRange range = source == null
                ? null
                : new OffsetRange(source.topic(), source.partition(), source.offset(), source.offset());
        pending.add(new TrainingExample(sequence, null, range, ByteBuffer.wrap(value), timestamp));
        pendingBytes += value.length + JOURNAL_ENTRY_OVERHEAD_BYTES;
        if (pendingBytes >= checkpointBytes) {
            checkpointNext();
        }
    }

    void checkpointNext() {
        checkpointDue = true;
        pending.clear();
        pendingBytes = 0;
    }

    boolean checkpointDue() {
        return checkpointDue;
    }

    /** The examples to journal at this commit (none when a checkpoint is due). */
    List<TrainingExample> pending() {
        return pending;
    }

    /** The journal slot of the example learned as number {@code sequence}: slots restart at 1 after each checkpoint. */
    long slotOf(long sequence) {
        return sequence - checkpointed;
    }

    /** Records the checkpoint written at this commit, of {@code examplesSeen} examples. */
    void checkpointWritten(long examplesSeen) {
        checkpointed = examplesSeen;
    }

    /** After this commit's writes: nothing is pending and no checkpoint is due. */
    void committed() {
        checkpointDue = false;
        pending.clear();
        pendingBytes = 0;
    }
}
