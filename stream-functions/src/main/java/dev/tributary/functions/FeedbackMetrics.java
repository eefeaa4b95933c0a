package dev.tributary.functions;

import static dev.tributary.functions.Meters.counter;
import static dev.tributary.functions.Meters.histogram;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The delayed-label metrics of one functions instance, part of {@link FunctionMetrics}. In Prometheus
 * form: {@code tributary_labels_awaited_total} (scored events that wait for their label), {@code
 * tributary_feedback_total{outcome}} ({@code joined}, {@code unmatched}, {@code duplicate}, and {@code
 * early}: held for an event not scored yet, then joined or unmatched), {@code
 * tributary_feedback_dead_letters_total} (every feedback dead letter, bad labels and undecodable ones
 * too), {@code tributary_label_waits_expired_total{outcome}} ({@code defaulted}: trained with the
 * model's default label; {@code dropped}), {@code tributary_feedback_join_ratio} (joined / waits
 * done), {@code tributary_pending_labels} and {@code tributary_pending_label_bytes} (the entries of
 * the pending-labels stores of this instance's tasks and their key and value bytes), and {@code
 * tributary_label_delay_seconds} (histogram: from the prediction to its feedback).
 */
final class FeedbackMetrics {
    private FeedbackMetrics() {}

    static void bind(MeterRegistry registry, Tags tags, FunctionStats stats) {
        counter(
                registry,
                "tributary.labels.awaited",
                "Scored events that wait for their label",
                tags,
                stats,
                s -> s.labelsAwaited.sum());
        counter(
                registry,
                "tributary.feedback",
                "Feedback that joined its event",
                tags.and("outcome", "joined"),
                stats,
                s -> s.feedbackJoined.sum());
        counter(
                registry,
                "tributary.feedback",
                "Feedback for no waiting event",
                tags.and("outcome", "unmatched"),
                stats,
                s -> s.feedbackUnmatched.sum());
        counter(
                registry,
                "tributary.feedback",
                "Feedback held for its event, which had not been scored yet",
                tags.and("outcome", "early"),
                stats,
                s -> s.feedbackEarly.sum());
        counter(
                registry,
                "tributary.feedback",
                "Feedback for an event already labelled",
                tags.and("outcome", "duplicate"),
                stats,
                s -> s.feedbackDuplicate.sum());
        counter(
                registry,
                "tributary.feedback.dead.letters",
                "Feedback records written to the dead-letter topic",
                tags,
                stats,
                s -> s.feedbackDeadLetters.sum());
        counter(
                registry,
                "tributary.label.waits.expired",
                "Label waits that ended without feedback",
                tags.and("outcome", "defaulted"),
                stats,
                s -> s.labelWaitsDefaulted.sum());
        counter(
                registry,
                "tributary.label.waits.expired",
                "Label waits that ended without feedback",
                tags.and("outcome", "dropped"),
                stats,
                s -> s.labelWaitsDropped.sum());
        Gauge.builder("tributary.feedback.join.ratio", stats, FunctionStats::joinRatio)
                .description("Of the events done waiting for a label, the fraction whose feedback came")
                .tags(tags)
                .register(registry);
        Gauge.builder("tributary.pending.labels", stats, s -> s.pendingLabels.sum())
                .description("Entries of the pending-labels stores of this instance's tasks")
                .tags(tags)
                .register(registry);
        Gauge.builder("tributary.pending.label.bytes", stats, s -> s.pendingLabelBytes.sum())
                .description("Key and value bytes of those entries")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
        Timer delay = histogram(
                registry,
                "tributary.label.delay",
                "Time from a prediction to the feedback that joined it",
                tags,
                Duration.ofMillis(1),
                Duration.ofDays(7));
        stats.labelDelaySampler(ms -> delay.record(ms, TimeUnit.MILLISECONDS));
    }
}
