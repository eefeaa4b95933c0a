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
  /** Time the score function spent on events (accepted or dead-lettered), in nanoseconds. */
  public final LongAdder scoreNanos = new LongAdder();
  /** Usage records written to the usage topic. */
  public final LongAdder usageRecords = new LongAdder();
  /** Invocations this instance counted and has not yet written in a usage record. */
  public final LongAdder usageUnwritten = new LongAdder();
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
