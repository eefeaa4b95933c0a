package dev.tributary.functions;

import java.util.concurrent.atomic.LongAdder;

/** Running counts of one functions instance, for progress displays and metrics. */
public final class FunctionStats {
  public final LongAdder scored = new LongAdder();
  public final LongAdder deadLetters = new LongAdder();
  public final LongAdder learned = new LongAdder();
  public final LongAdder updatesRejected = new LongAdder();
  public final LongAdder versionsPublished = new LongAdder();
  /** Versions the train function did not publish because they were over the registry topic's size limit. */
  public final LongAdder versionsTooLarge = new LongAdder();
  /** Versions of AUTO-promotion models that passed the gate and became champion. */
  public final LongAdder versionsPromoted = new LongAdder();
  /** Versions of AUTO-promotion models that the gate refused (they became challenger). */
  public final LongAdder versionsRefused = new LongAdder();
}
