package dev.tributary.functions;

import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.UsageRecord;
import java.util.Map;

/**
 * What the score function forwards inside the topology: the outcome of scoring one input record
 * (either a prediction, with the event for training, or a rejection with the original bytes, for
 * the dead-letter topic; {@code attempts} is how many times scoring ran, more than once after an
 * unexpected exception), or a usage record for the usage topic.
 *
 * @param trainingValue for a labelled event, what goes to the train function: the example as
 *     featurized here ({@link FeaturizedExample}); for an event that waits for its label, the same
 *     without it (NaN); null otherwise
 */
record Scored(
        Event event,
        Prediction prediction,
        Rejection rejection,
        String reason,
        byte[] originalValue,
        byte[] trainingValue,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        int attempts,
        UsageRecord usage) {

    Scored(
            Event event,
            Prediction prediction,
            Rejection rejection,
            String reason,
            byte[] originalValue,
            byte[] trainingValue,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            int attempts) {
        this(
                event,
                prediction,
                rejection,
                reason,
                originalValue,
                trainingValue,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                attempts,
                null);
    }

    static Scored usage(UsageRecord usage) {
        return new Scored(null, null, null, null, null, null, null, -1, -1, 0, usage);
    }

    /**
     * A label that joined an event scored earlier ({@link FeedbackJoin}): trainable, without a
     * prediction; the event holds only its id, model and label, and the source is the event's.
     *
     * @param trainingValue a {@link JoinedExample}
     */
    static Scored joined(
            String model, String id, double label, long timestamp, byte[] trainingValue, PendingLabel seen) {
        Event event = new Event(id, model, Map.of(), Map.of(), label, timestamp);
        return new Scored(
                event,
                null,
                null,
                null,
                null,
                trainingValue,
                seen.sourceTopic(),
                seen.sourcePartition(),
                seen.sourceOffset(),
                1);
    }

    /** A scored event without a label that waits for one (its model has a label wait, this function trains). */
    boolean awaitsLabel() {
        return accepted() && event.getLabel() == null && trainingValue != null;
    }

    boolean accepted() {
        return rejection == null && usage == null;
    }

    boolean rejected() {
        return rejection != null;
    }

    boolean isUsage() {
        return usage != null;
    }

    boolean trainable() {
        return accepted() && event.getLabel() != null;
    }
}
