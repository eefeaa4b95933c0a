package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.Routing;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.FeedbackDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The join of delayed labels, inside the score function's task: its inputs are the scored events
 * without a label of models with a label wait ({@link Scored.Predicted#awaitsLabel}) and the records of the
 * feedback topic, which is keyed by event id and has as many partitions as the trigger topic, so an
 * event and its feedback meet in the same task (the runner checks the counts, {@link FeedbackTopics}).
 *
 * <p>A waiting event is kept in the task's {@link PendingLabels} store — the featurized example and
 * what the user saw — until its model's {@code labelWaitMs} is over. Every feedback record has an
 * outcome, forwarded as a {@link Scored}: a training example on the train path when it matches a
 * waiting event (the entry becomes a small joined marker until the wait would have ended), else a
 * dead letter — {@link Rejection#DUPLICATE_FEEDBACK} (the label already joined, or is held), {@link
 * Rejection#BAD_LABEL} (not 0 or 1 for a classifier; the event keeps waiting), {@link
 * Rejection#UNDECODABLE}, {@link Rejection#UNMATCHED_FEEDBACK} (a model without a wait or unknown).
 * Feedback for an id with nothing waiting may have come before its event (a backlog, producer clocks
 * apart): it is held as {@link EarlyFeedback} for the model's wait and joins the event when it is
 * scored, or becomes an {@link Rejection#UNMATCHED_FEEDBACK} dead letter when the wait ends. A
 * wall-clock punctuation ends the waits that are over ({@link LabelWaitExpiry}); the dead letters
 * are {@link FeedbackRejections}'. Store writes, training examples and dead letters are in the
 * task's transaction.
 */
final class FeedbackJoin implements Processor<byte[], FeedbackJoin.Input, byte[], Scored> {
    /** What the join reads: a scored event that waits for its label, or a feedback record's value. */
    record Input(Scored.Predicted awaiting, byte[] feedback) {
        static Input awaiting(Scored s) {
            return new Input((Scored.Predicted) s, null);
        }

        static Input feedback(byte[] value) {
            return new Input(null, value);
        }
    }

    private final ModelCatalog catalog;
    private final FeedbackDecoder decoder;
    private final FunctionStats stats;
    private final Routing routing;

    private ProcessorContext<byte[], Scored> context;
    private PendingLabels pending;
    private FeedbackRejections rejections;

    FeedbackJoin(ModelCatalog catalog, FeedbackDecoder decoder, FunctionStats stats, Routing routing) {
        this.catalog = catalog;
        this.decoder = decoder;
        this.stats = stats;
        this.routing = routing;
    }

    /** Whether a function joins feedback: it trains, and its trigger names its topics (a pattern has no feedback topic). */
    static boolean applies(FunctionSpec function) {
        return function.kind().trains() && function.trigger().pattern() == null;
    }

    /** The feedback topics of a function: one per trigger topic ({@link Topics#feedbackOf}). */
    static List<String> feedbackTopics(FunctionSpec function) {
        return function.trigger().topics().stream().map(Topics::feedbackOf).toList();
    }

    /**
     * Adds the join to the score function's topology: the feedback topics as a second source, the
     * pending-labels store, and the processor reading both. Returns its outcomes: training examples
     * ({@link Scored.Trainable}) and rejections, for the caller's train path and dead letters.
     */
    static KStream<byte[], Scored> addTo(
            StreamsBuilder builder,
            KStream<byte[], Scored> scored,
            ModelCatalog catalog,
            FeedbackDecoder decoder,
            FunctionStats stats,
            Routing routing) {
        builder.addStateStore(PendingLabels.storeBuilder());
        KStream<byte[], Input> waiting = scored.filter(
                        (key, s) -> s instanceof Scored.Predicted p && p.awaitsLabel(), Named.as("awaits-label"))
                .mapValues(Input::awaiting, Named.as("waiting"));
        KStream<byte[], Input> feedback = builder.stream(
                        feedbackTopics(routing.self()),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("feedback"))
                .mapValues(Input::feedback, Named.as("feedback-value"));
        return waiting.merge(feedback, Named.as("waiting-and-feedback"))
                .process(
                        () -> new FeedbackJoin(catalog, decoder, stats, routing),
                        Named.as("join-feedback"),
                        PendingLabels.STORE);
    }

    @Override
    public void init(ProcessorContext<byte[], Scored> context) {
        this.context = context;
        this.pending = new PendingLabels(context.getStateStore(PendingLabels.STORE), stats);
        this.rejections = new FeedbackRejections(context, stats, routing);
        LabelWaitExpiry expiry = new LabelWaitExpiry(context, pending, catalog, stats, rejections);
        context.schedule(LabelWaitExpiry.TICK, PunctuationType.WALL_CLOCK_TIME, expiry::expire);
    }

    @Override
    public void close() {
        if (pending != null) {
            pending.close();
        }
    }

    @Override
    public void process(Record<byte[], Input> record) {
        if (record.value().awaiting() != null) {
            await(record.value().awaiting());
        } else {
            join(record, record.value().feedback());
        }
    }

    private void await(Scored.Predicted s) {
        String model = s.event().getModel();
        String id = s.event().getId();
        ModelSpec spec = catalog.spec(model).orElse(null);
        if (spec == null || spec.getLabelWaitMs() <= 0) {
            return; // retired or changed since it was scored: nothing will train from it
        }
        long now = context.currentSystemTimeMs();
        PendingLabel waiting = PendingLabel.waiting(
                now + spec.getLabelWaitMs(),
                s.prediction(),
                s.source().topic(),
                s.source().partition(),
                s.source().offset(),
                s.trainingValue());
        stats.labelsAwaited.increment();
        EarlyFeedback early = pending.early(model, id);
        if (early == null) {
            pending.put(model, id, waiting);
            return;
        }
        // Its feedback came first: they join now.
        pending.removeEarly(model, id);
        Record<byte[], Input> carrier =
                new Record<>(id.getBytes(StandardCharsets.UTF_8), null, now, new RecordHeaders());
        learn(carrier, model, id, early.label(), early.receivedAt(), waiting, now, 0);
    }

    private void join(Record<byte[], Input> record, byte[] value) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Feedback feedback;
        try {
            feedback = decoder.decode(value, record.timestamp());
        } catch (DecodeException e) {
            rejections.reject(record, null, Rejection.UNDECODABLE, "feedback: " + e.getMessage(), source);
            return;
        }
        String model = feedback.getModel();
        String id = feedback.getId();
        if (!routing.serves(model)) {
            rejections.reject(
                    record,
                    model,
                    Rejection.NOT_SERVED,
                    "model '" + model + "' of this feedback is not served by any function triggered by topic "
                            + rejections.triggerOf(source.topic()),
                    source);
            return;
        }
        long now = context.currentSystemTimeMs();
        PendingLabel waiting = pending.get(model, id);
        double label = feedback.getLabel();
        if (waiting == null) {
            before(record, feedback, source, now);
        } else if (!waiting.isWaiting()) {
            rejections.duplicate(record, model, id, "already learned the label of earlier feedback", source);
        } else if (waiting.expiresAt() <= now) {
            rejections.unmatched(
                    record,
                    model,
                    "feedback for event '" + id + "' of model '" + model + "' came " + (now - waiting.expiresAt())
                            + " ms after its label wait ended",
                    source);
        } else if (waiting.classifier() && label != 0.0 && label != 1.0) {
            rejections.badLabel(record, model, label, "; event '" + id + "' still waits for its label", source);
        } else {
            learn(record, model, id, label, feedback.getTimestamp(), waiting, now, now - waiting.scoredAt());
        }
    }

    /**
     * Feedback for an event that is not waiting: it may come before its event is scored (the event
     * behind in a backlog, or the producers' clocks apart), so it is held for the model's wait.
     */
    private void before(Record<byte[], Input> record, Feedback feedback, RecordMetadata source, long now) {
        String model = feedback.getModel();
        String id = feedback.getId();
        ModelSpec spec = catalog.spec(model).orElse(null);
        if (pending.early(model, id) != null) {
            rejections.duplicate(
                    record, model, id, "already has a label from earlier feedback, which waits for the event", source);
        } else if (spec == null) {
            rejections.unmatched(
                    record, model, "unknown model '" + model + "': no event of it waits for its label", source);
        } else if (spec.getLabelWaitMs() <= 0) {
            rejections.unmatched(
                    record,
                    model,
                    "model '" + model + "' has no label wait, so its events "
                            + "do not wait for feedback: create it with --label-wait, or send the label on the event",
                    source);
        } else if (spec.getAlgorithm() != Algorithm.LINEAR_REGRESSION
                && feedback.getLabel() != 0.0
                && feedback.getLabel() != 1.0) {
            rejections.badLabel(record, model, feedback.getLabel(), "", source);
        } else {
            pending.putEarly(
                    model,
                    id,
                    new EarlyFeedback(
                            now + spec.getLabelWaitMs(),
                            feedback.getLabel(),
                            now,
                            source.topic(),
                            source.partition(),
                            source.offset(),
                            record.key(),
                            record.value().feedback()));
            stats.feedbackEarly.increment();
        }
    }

    /**
     * A label joined its waiting event: the training example goes on the train path (as {@code
     * carrier}, its key, timestamp and headers), and the entry becomes a joined marker.
     *
     * @param labelledAt when the label was given
     * @param delayMs from the prediction to the label's arrival
     */
    private void learn(
            Record<byte[], Input> carrier,
            String model,
            String id,
            double label,
            long labelledAt,
            PendingLabel waiting,
            long now,
            long delayMs) {
        context.forward(carrier.withValue(Scored.joined(
                model, id, label, labelledAt, JoinedExample.encode(waiting, label, now, false), waiting)));
        pending.put(model, id, waiting.joined());
        stats.feedbackJoined.increment();
        stats.recordLabelDelay(Math.max(0, delayMs));
    }
}
