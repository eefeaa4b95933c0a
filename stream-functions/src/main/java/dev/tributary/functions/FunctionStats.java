package dev.tributary.functions;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** Running counts of one functions instance, for progress displays and metrics. */
public final class FunctionStats {
    public final LongAdder scored = new LongAdder();
    public final LongAdder deadLetters = new LongAdder();
    /** Events left to other functions: of models this function does not serve, or dead-lettered by another. */
    public final LongAdder skipped = new LongAdder();

    public final LongAdder learned = new LongAdder();
    public final LongAdder updatesRejected = new LongAdder();
    public final LongAdder versionsPublished = new LongAdder();
    /** Versions the train function did not publish because they were over the registry topic's size limit. */
    public final LongAdder versionsTooLarge = new LongAdder();
    /** Versions of AUTO-promotion models that passed the gate and became champion. */
    public final LongAdder versionsPromoted = new LongAdder();
    /** Versions of AUTO-promotion models that the gate refused (they became challenger). */
    public final LongAdder versionsRefused = new LongAdder();
    /** Drift alerts the train function's detectors raised. */
    public final LongAdder driftAlerts = new LongAdder();
    /** Challengers started on a drift alert, and those that took over their model's training. */
    public final LongAdder challengersStarted = new LongAdder();

    public final LongAdder challengersTookOver = new LongAdder();
    /** The latest comparison of each shadow with its serving version, by {@code MODEL/ALIAS}, for metrics. */
    public final java.util.Map<String, dev.tributary.schema.ShadowComparison> comparisons =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Time the score function spent on events (accepted or dead-lettered), in nanoseconds. */
    public final LongAdder scoreNanos = new LongAdder();
    /** Usage records written to the usage topic. */
    public final LongAdder usageRecords = new LongAdder();
    /** Invocations this instance counted and has not yet written in a usage record. */
    public final LongAdder usageUnwritten = new LongAdder();
    /** Scored events without a label that wait for one (their model has a label wait). */
    public final LongAdder labelsAwaited = new LongAdder();
    /** Feedback that joined a waiting event and became a training example. */
    public final LongAdder feedbackJoined = new LongAdder();
    /** Feedback that came before its event was scored, held for the event (counted again when it joins or not). */
    public final LongAdder feedbackEarly = new LongAdder();
    /** Feedback for an event that is not waiting (never scored, or its wait is over): dead letters. */
    public final LongAdder feedbackUnmatched = new LongAdder();
    /** Feedback for an event whose label already joined: dead letters, never learned. */
    public final LongAdder feedbackDuplicate = new LongAdder();
    /** Every feedback dead letter (unmatched, duplicate, bad label, undecodable, not served). */
    public final LongAdder feedbackDeadLetters = new LongAdder();
    /** Waits that ended without feedback and trained with the model's default label. */
    public final LongAdder labelWaitsDefaulted = new LongAdder();
    /** Waits that ended without feedback, of models without a default label: nothing learned. */
    public final LongAdder labelWaitsDropped = new LongAdder();
    /** Entries of the pending-labels stores of this instance's tasks (waiting events and joined markers). */
    public final LongAdder pendingLabels = new LongAdder();
    /** Their keys and values, in bytes (what RocksDB holds before compression). */
    public final LongAdder pendingLabelBytes = new LongAdder();
    /** Dead letters, summarized in at most one log line per 10 s. */
    final DeadLetterBursts deadLetterBursts = new DeadLetterBursts(10_000);

    private volatile boolean usageFlushRequested;

    /** Events the score function handled, scored or dead-lettered, on every task of this instance. */
    public long invocations() {
        return scored.sum() + deadLetters.sum();
    }

    /** Asks every task to write its open usage now rather than at the end of its interval (before a close). */
    void requestUsageFlush() {
        usageFlushRequested = true;
    }

    boolean usageFlushRequested() {
        return usageFlushRequested;
    }

    private volatile LongConsumer labelDelaySampler;

    /** Receives the delay (ms) from each joined event's prediction to its feedback; null to stop. */
    public void labelDelaySampler(LongConsumer sampler) {
        this.labelDelaySampler = sampler;
    }

    void recordLabelDelay(long ms) {
        LongConsumer sampler = labelDelaySampler;
        if (sampler != null) {
            sampler.accept(ms);
        }
    }

    /** Of the events that waited for a label and are done waiting, the fraction whose feedback came (0 before any). */
    public double joinRatio() {
        double joined = feedbackJoined.sum();
        double done = joined + labelWaitsDefaulted.sum() + labelWaitsDropped.sum();
        return done == 0 ? 0 : joined / done;
    }

    /** One event in {@value #SAMPLE_EVERY} goes to the sampler (a histogram), so the hot path stays two clock reads. */
    static final int SAMPLE_EVERY = 32;

    private volatile LongConsumer scoreSampler;

    /** Receives the duration (ns) of a sample of scored events; null to stop. */
    public void scoreSampler(LongConsumer sampler) {
        this.scoreSampler = sampler;
    }

    /** @param call a per-processor call count, so that sampling needs no shared counter */
    void recordScoreNanos(long nanos, long call) {
        scoreNanos.add(nanos);
        if ((call & (SAMPLE_EVERY - 1)) == 0) {
            LongConsumer sampler = scoreSampler;
            if (sampler != null) {
                sampler.accept(nanos);
            }
        }
    }
}
