package dev.tributary.functions;

import dev.tributary.functions.spec.Routing;
import dev.tributary.schema.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The dead letters of the feedback join ({@link FeedbackJoin}): each of the original feedback
 * record, with the rejection and its reason, counted and written once among the functions of the
 * file (the one that {@link Routing#reports} the feedback's trigger topic and model).
 */
final class FeedbackRejections {
    private final ProcessorContext<byte[], Scored> context;
    private final FunctionStats stats;
    private final Routing routing;
    /** Each feedback topic's trigger topic, whose routing decides who writes a feedback dead letter. */
    private final Map<String, String> triggerOf = new HashMap<>();

    FeedbackRejections(ProcessorContext<byte[], Scored> context, FunctionStats stats, Routing routing) {
        this.context = context;
        this.stats = stats;
        this.routing = routing;
        routing.self().trigger().topics().forEach(t -> triggerOf.put(Topics.feedbackOf(t), t));
    }

    /** The trigger topic of a feedback topic. */
    String triggerOf(String feedbackTopic) {
        return triggerOf.get(feedbackTopic);
    }

    /** Feedback for an event whose label is already known: it is not learned again. */
    void duplicate(
            Record<byte[], FeedbackJoin.Input> record, String model, String id, String already, RecordMetadata source) {
        stats.feedbackDuplicate.increment();
        reject(
                record,
                model,
                Rejection.DUPLICATE_FEEDBACK,
                "event '" + id + "' of model '" + model + "' " + already + "; this one is not learned",
                source);
    }

    /** Feedback that no event waits for. */
    void unmatched(Record<byte[], FeedbackJoin.Input> record, String model, String reason, RecordMetadata source) {
        stats.feedbackUnmatched.increment();
        reject(record, model, Rejection.UNMATCHED_FEEDBACK, reason, source);
    }

    /** A classifier's label that is not 0 or 1; {@code after} says what becomes of its event, if anything. */
    void badLabel(
            Record<byte[], FeedbackJoin.Input> record,
            String model,
            double label,
            String after,
            RecordMetadata source) {
        reject(
                record,
                model,
                Rejection.BAD_LABEL,
                "label " + label + " is not 0 or 1, as the classifier '" + model + "' requires" + after,
                source);
    }

    /** A dead letter of this feedback, unless another function of the file writes it. */
    void reject(
            Record<byte[], FeedbackJoin.Input> record,
            String model,
            Rejection rejection,
            String reason,
            RecordMetadata source) {
        if (writes(source.topic(), model)) {
            counted(rejection, reason);
            context.forward(record.withValue(deadLetter(
                    rejection,
                    reason,
                    record.value().feedback(),
                    new StoredSource(source.topic(), source.partition(), source.offset()))));
        }
    }

    /** Held feedback whose event did not come within the wait: the dead letter of the original record. */
    void unmatchedEarly(String model, String id, EarlyFeedback early) {
        String reason = "no event '" + id + "' of model '" + model + "' waited for this label, nor was one "
                + "scored within the label wait of " + (early.expiresAt() - early.receivedAt())
                + " ms after it: it was never "
                + "published, its own wait had ended, or this feedback is not keyed by the event's id as the event was";
        if (!writes(early.topic(), model)) {
            return;
        }
        stats.feedbackUnmatched.increment();
        counted(Rejection.UNMATCHED_FEEDBACK, reason);
        context.forward(new Record<>(
                early.key(),
                deadLetter(
                        Rejection.UNMATCHED_FEEDBACK,
                        reason,
                        early.value(),
                        new StoredSource(early.topic(), early.partition(), early.offset())),
                early.receivedAt(),
                new RecordHeaders()));
    }

    /** Whether this function writes the dead letters of feedback from {@code feedbackTopic} for {@code model}. */
    private boolean writes(String feedbackTopic, String model) {
        return routing.reports(triggerOf.getOrDefault(feedbackTopic, feedbackTopic), model);
    }

    private void counted(Rejection rejection, String reason) {
        stats.feedbackDeadLetters.increment();
        stats.deadLetterBursts.record(rejection, reason, System.currentTimeMillis());
    }

    private static Scored deadLetter(Rejection rejection, String reason, byte[] value, StoredSource source) {
        return new Scored.Rejected(
                null,
                rejection,
                reason,
                value,
                new Scored.Source(source.topic(), source.partition(), source.offset()),
                1);
    }
}
