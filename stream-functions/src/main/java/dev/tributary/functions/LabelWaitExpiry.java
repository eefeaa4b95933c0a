package dev.tributary.functions;

import dev.tributary.schema.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Ends the label waits of the feedback join ({@link FeedbackJoin}) that are over, on a wall-clock
 * punctuation: an event still waiting trains with its model's {@code defaultLabel}, or is dropped
 * without one (either way it is counted); held feedback whose event never came becomes an {@link
 * Rejection#UNMATCHED_FEEDBACK} dead letter; a joined marker just goes. The waits are ended in
 * batches, within a time budget per punctuation, so that scoring goes on; the rest wait for the next.
 */
final class LabelWaitExpiry {
    /** How often waits that are over are looked for. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** Waits ended per read of the store's index. */
    static final int BATCH = 1_000;
    /** The longest one punctuation spends ending waits (the rest at the next), so that scoring goes on. */
    static final long BUDGET_NANOS = 250_000_000L;

    private final ProcessorContext<byte[], Scored> context;
    private final PendingLabels pending;
    private final ModelCatalog catalog;
    private final FunctionStats stats;
    private final FeedbackRejections rejections;

    LabelWaitExpiry(
            ProcessorContext<byte[], Scored> context,
            PendingLabels pending,
            ModelCatalog catalog,
            FunctionStats stats,
            FeedbackRejections rejections) {
        this.context = context;
        this.pending = pending;
        this.catalog = catalog;
        this.stats = stats;
        this.rejections = rejections;
    }

    /** Ends the waits that are over at {@code now} (wall-clock ms). */
    void expire(long now) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int ended;
        do {
            ended = end(now, pending.expire(now, BATCH));
        } while (ended == BATCH && System.nanoTime() < deadline);
    }

    private int end(long now, List<PendingLabels.Due> batch) {
        for (PendingLabels.Due due : batch) {
            if (due.early() != null) {
                rejections.unmatchedEarly(due.model(), due.id(), due.early());
            } else if (due.label().isWaiting()) {
                // (a joined marker just goes: a duplicate can no longer be told from feedback that is too late)
                defaultLabel(due, now);
            }
        }
        return batch.size();
    }

    /** The example of an event whose label never came trains with its model's default label, if it has one. */
    private void defaultLabel(PendingLabels.Due due, long now) {
        ModelSpec spec = catalog.spec(due.model()).orElse(null);
        Double label = spec == null ? null : spec.getDefaultLabel();
        if (label == null) {
            stats.labelWaitsDropped.increment();
            return;
        }
        byte[] example = JoinedExample.encode(due.label(), label, now, true);
        context.forward(new Record<>(
                due.id().getBytes(StandardCharsets.UTF_8),
                Scored.joined(due.model(), due.id(), label, now, example, due.label()),
                now,
                new RecordHeaders()));
        stats.labelWaitsDefaulted.increment();
    }
}
