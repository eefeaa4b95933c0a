package dev.tributary.functions;

import java.util.concurrent.atomic.LongAdder;

/** Running counts of one functions instance, for progress displays and metrics. */
public final class FunctionStats {
  public final LongAdder scored = new LongAdder();
  public final LongAdder deadLetters = new LongAdder();
  public final LongAdder learned = new LongAdder();
  public final LongAdder updatesRejected = new LongAdder();
  public final LongAdder versionsPublished = new LongAdder();
}
