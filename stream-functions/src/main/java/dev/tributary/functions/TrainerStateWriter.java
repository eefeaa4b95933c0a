package dev.tributary.functions;

import dev.tributary.model.ModelVersions;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes, at each commit of the task, what each model learned since the last one ({@link
 * CheckpointOrJournal}): its learner's full state into the {@code trainer-state} store, or its
 * examples into the {@code trainer-journal} store, one entry each under {@code <model>/<slot>}.
 */
final class TrainerStateWriter {
    private final TrainerStateStore store;
    private final KeyValueStore<String, TrainingExample> journal;

    TrainerStateWriter(TrainerStateStore store, KeyValueStore<String, TrainingExample> journal) {
        this.store = store;
        this.journal = journal;
    }

    /** Each model's checkpoint or journal entries since the last commit, in the commit's transaction. */
    void write(Iterable<ModelTraining> models) {
        for (ModelTraining t : models) {
            CheckpointOrJournal writes = t.writes;
            if (writes.checkpointDue()) {
                ModelVersion current = checkpoint(t);
                store.put(
                        t.name(),
                        new TrainerState(
                                current,
                                t.state.getPublishedExamples(),
                                t.state.getPublishedAt(),
                                t.window.toRecord()));
                writes.checkpointWritten(current.getExamplesSeen());
            } else {
                for (TrainingExample example : writes.pending()) {
                    journal.put(journalKey(t.name(), writes.slotOf(example.getSequence())), example);
                }
            }
            writes.committed();
        }
    }

    /** The learner as it is now, under the number and metrics of the last publication. */
    private static ModelVersion checkpoint(ModelTraining t) {
        ModelVersion lineage = t.state.getCurrent();
        ModelVersion current = ModelVersions.versionOf(
                t.name(),
                lineage.getVersion(),
                t.learner.snapshot(),
                lineage.getParentVersion(),
                t.sourceOffsets(),
                lineage.getProducedBy(),
                lineage.getCreatedAt(),
                lineage.getMetrics());
        t.addDelayedState(current);
        return current;
    }

    /** A key per slot; slots restart at 1 after each checkpoint: a key is reused once its example is in one. */
    static String journalKey(String model, long slot) {
        // As String.format("%010d", slot), without its cost on every example.
        String digits = Long.toString(slot);
        StringBuilder key = new StringBuilder(model.length() + 11).append(model).append('/');
        for (int i = digits.length(); i < 10; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }
}
