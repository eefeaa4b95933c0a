package dev.tributary.functions;

import dev.tributary.schema.TrainingExample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a learner rebuilt from its checkpoint up to date with the examples journalled since: they
 * are learned again in order, as they were the first time (learning is deterministic).
 */
final class JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);

    private final KeyValueStore<String, TrainingExample> journal;
    private final TestThenTrain learning;

    JournalReplay(KeyValueStore<String, TrainingExample> journal, TestThenTrain learning) {
        this.journal = journal;
        this.learning = learning;
    }

    void replay(ModelTraining t) {
        long checkpoint = t.state.getCurrent().getExamplesSeen();
        List<TrainingExample> since = new ArrayList<>();
        try (KeyValueIterator<String, TrainingExample> entries =
                journal.prefixScan(t.name() + "/", new StringSerializer())) {
            entries.forEachRemaining(entry -> {
                if (entry.value.getSequence() > checkpoint) {
                    since.add(entry.value); // slots below the checkpoint hold examples it already contains
                }
            });
        }
        since.sort(Comparator.comparingLong(TrainingExample::getSequence));
        for (TrainingExample example : since) {
            boolean learned = example.getEvent() != null
                    ? learning.learn(t, example.getEvent(), false) // written by the first release
                    : learning.learn(t, bytesOf(example.getValue()), example.getRecordTimestamp(), false);
            if (learned && example.getSource() != null) {
                t.learnedFrom(example.getSource());
            }
            if (t.learner.examplesSeen() != example.getSequence()) {
                throw new IllegalStateException("model '" + t.name()
                        + "': replaying the trainer journal reached " + t.learner.examplesSeen()
                        + " examples where the journal says " + example.getSequence());
            }
        }
        if (!since.isEmpty()) {
            LOG.info(
                    "Model '{}' resumed from its checkpoint at {} examples plus {} journalled since",
                    t.name(),
                    checkpoint,
                    since.size());
        }
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
