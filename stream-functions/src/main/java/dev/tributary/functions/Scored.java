package dev.tributary.functions;

import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.wire.FeaturizedExample;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What the score function and the feedback join forward inside the topology, one record per
 * outcome: a {@link Predicted} event, a label {@link Joined} to an event scored earlier, a {@link
 * Rejected} input for the dead-letter topic, or a {@link Usage} record for the usage topic. (An
 * event another function of the file handles is not forwarded at all.)
 */
sealed interface Scored {

    /** Where the input record came from. */
    record Source(String topic, int partition, long offset) {
        static Source of(RecordMetadata metadata) {
            return new Source(metadata.topic(), metadata.partition(), metadata.offset());
        }
    }

    /** An outcome the train function may learn from: its value goes to the train-by-model topic. */
    sealed interface Trainable extends Scored {
        String model();

        /** The example as featurized by the score function ({@link FeaturizedExample}, {@link JoinedExample}). */
        byte[] trainingValue();

        Source source();

        /** Whether it has its label, so that the train function learns it. */
        boolean labelled();
    }

    /**
     * A scored event and its prediction.
     *
     * @param trainingValue for a labelled event, what goes to the train function: the example as
     *     featurized here ({@link FeaturizedExample}); for an event that waits for its label, the
     *     same without it (NaN); null when this function does not train from it
     */
    record Predicted(Event event, Prediction prediction, byte[] trainingValue, Source source) implements Trainable {
        @Override
        public String model() {
            return event.getModel();
        }

        @Override
        public boolean labelled() {
            return event.getLabel() != null;
        }

        /** An event without a label that waits for one (its model has a label wait, this function trains). */
        boolean awaitsLabel() {
            return event.getLabel() == null && trainingValue != null;
        }
    }

    /**
     * A label that joined an event scored earlier ({@link FeedbackJoin}); the source is the event's.
     *
     * @param labelledAt when the label came (or the wait ended, for a model's default label)
     * @param trainingValue a {@link JoinedExample}
     */
    record Joined(String model, String id, double label, long labelledAt, byte[] trainingValue, Source source)
            implements Trainable {
        @Override
        public boolean labelled() {
            return true;
        }
    }

    /**
     * An input record that goes to the dead-letter topic with its reason.
     *
     * @param model the model the input named, or null when it could not be read
     * @param originalValue the input value as it arrived
     * @param attempts how many times scoring ran: more than once after an unexpected exception
     */
    record Rejected(String model, Rejection rejection, String reason, byte[] originalValue, Source source, int attempts)
            implements Scored {}

    /** A usage record of the task's last interval, for the usage topic. */
    record Usage(UsageRecord record) implements Scored {}

    /** A label that joined the event {@code seen}, scored earlier: trainable, from the event's source. */
    static Joined joined(
            String model, String id, double label, long labelledAt, byte[] trainingValue, PendingLabel seen) {
        return new Joined(
                model,
                id,
                label,
                labelledAt,
                trainingValue,
                new Source(seen.sourceTopic(), seen.sourcePartition(), seen.sourceOffset()));
    }
}
