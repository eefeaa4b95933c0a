package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.registry.ModelCache;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.UsageRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The score function: input bytes → {@link Event} → the model's serving version → {@link
 * Prediction}. Anything unusable becomes a rejected {@link Scored} carrying its reason.
 *
 * <p>It also meters itself ({@link UsageAccount}): every invocation is counted per model in the
 * task's usage store, which is changelogged in the same transaction as the input offsets, the
 * predictions and the dead letters. Once per interval a wall-clock punctuation forwards one usage
 * record per model and empties the store, in that same transaction. So under exactly-once the
 * usage records add up to the events processed, across crashes and rebalances: counts of a
 * committed input are committed with it, and counts of an aborted one are rolled back with it.
 */
final class ScoreProcessor implements Processor<byte[], byte[], byte[], Scored> {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreProcessor.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_CLOCK = THREADS.isCurrentThreadCpuTimeSupported();
  /** How often the usage punctuation checks whether the interval is over or a flush was asked for. */
  private static final long TICK_MS = 1000;

  private final ModelCatalog catalog;
  private final EventDecoder decoder;
  private final Duration unknownModelWait;
  private final FunctionStats stats;
  private final String usageStoreName;
  private final FunctionsTopology.Metering metering;
  private final String instanceId;
  private final FeatureVector x = new FeatureVector(64);
  private ProcessorContext<byte[], Scored> context;
  private KeyValueStore<String, byte[]> usageStore;
  private UsageAccount usage;
  /** The instance's invocation count when this task's interval started. */
  private long instanceInvocationsAtStart;
  private long calls;

  ScoreProcessor(ModelCatalog catalog, EventDecoder decoder, Duration unknownModelWait, FunctionStats stats,
      String usageStoreName, FunctionsTopology.Metering metering, String instanceId) {
    this.catalog = catalog;
    this.decoder = decoder;
    this.unknownModelWait = unknownModelWait;
    this.stats = stats;
    this.usageStoreName = usageStoreName;
    this.metering = metering;
    this.instanceId = instanceId;
  }

  @Override
  public void init(ProcessorContext<byte[], Scored> context) {
    this.context = context;
    this.usageStore = context.getStateStore(usageStoreName);
    long now = context.currentSystemTimeMs();
    this.usage = new UsageAccount(now); // also after a task is revived: the store is the truth
    this.instanceInvocationsAtStart = stats.invocations();
    try (KeyValueIterator<String, byte[]> saved = usageStore.all()) {
      saved.forEachRemaining(entry -> {
        UsageCounts counts = UsageCounts.fromBytes(entry.value);
        usage.restore(entry.key, counts);
        stats.usageUnwritten.add(counts.invocations);
      });
    }
    context.schedule(Duration.ofMillis(Math.min(TICK_MS, metering.interval().toMillis())),
        PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    boolean sampled = CPU_CLOCK && usage.sampleNext();
    long cpuStart = sampled ? THREADS.getCurrentThreadCpuTime() : 0;
    long start = System.nanoTime();
    Scored scored = score(record.value(), record.timestamp());
    stats.recordScoreNanos(System.nanoTime() - start, ++calls);
    context.forward(record.withValue(scored));
    long cpu = sampled ? THREADS.getCurrentThreadCpuTime() - cpuStart : -1;
    String model = scored.event() == null || scored.rejection() == Rejection.UNKNOWN_MODEL
        ? UsageAccount.NO_MODEL : scored.event().getModel();
    usageStore.put(model, usage.record(model, scored.rejected(), cpu).toBytes());
    stats.usageUnwritten.increment();
  }

  /** Writes the usage records when the interval is over (or a flush was asked for); logs a dead-letter burst. */
  private void tick(long now) {
    String burst = stats.deadLetterBursts.due(now);
    if (burst != null) {
      LOG.warn(burst);
    }
    boolean due = now - usage.intervalStart() >= metering.interval().toMillis() || stats.usageFlushRequested();
    if (!due) {
      return; // an idle interval is closed too (writing nothing), so that idle time is never billed
    }
    long instanceInvocations = stats.invocations();
    long written = usage.invocations();
    List<String> models = usage.models();
    for (UsageRecord r : usage.close(now, metering.function(), instanceId, context.taskId().toString(),
        instanceInvocations - instanceInvocationsAtStart, Runtime.getRuntime().maxMemory())) {
      byte[] key = (r.getFunction() + "/" + r.getModel()).getBytes(StandardCharsets.UTF_8);
      context.forward(new Record<>(key, Scored.usage(r), now));
      stats.usageRecords.increment();
    }
    models.forEach(usageStore::delete);
    stats.usageUnwritten.add(-written);
    instanceInvocationsAtStart = instanceInvocations;
  }

  @Override
  public void close() {
    if (usage != null) {
      stats.usageUnwritten.add(-usage.invocations()); // they stay in the store, for this task's next owner
    }
  }

  private Scored score(byte[] value, long recordTimestamp) {
    Event event;
    try {
      event = decoder.decode(value, recordTimestamp);
    } catch (DecodeException e) {
      return rejected(null, value, Rejection.UNDECODABLE, e.getMessage());
    }
    ServingModel model;
    try {
      model = catalog.serving(event.getModel());
      if (model == null && catalog.awaitCaughtUp(unknownModelWait)) {
        model = catalog.serving(event.getModel()); // the model may have been created a moment ago
      }
    } catch (ModelCache.ModelUnusableException e) {
      return rejected(event, value, Rejection.MODEL_UNUSABLE, e.getMessage());
    }
    if (model == null) {
      return rejected(event, value, Rejection.UNKNOWN_MODEL, "unknown model '" + event.getModel()
          + "': create it first (tributary models create " + event.getModel() + " ...)");
    }
    Algorithm algorithm = model.spec().getAlgorithm();
    Double label = event.getLabel();
    if (label != null && algorithm != Algorithm.LINEAR_REGRESSION && label != 0.0 && label != 1.0) {
      return rejected(event, value, Rejection.BAD_LABEL, "label " + label + " is not 0 or 1, as the "
          + algorithm + " model '" + event.getModel() + "' requires");
    }
    String problem = model.featurize(event.getFeatures(), event.getCategories(), x);
    if (problem != null) {
      return rejected(event, value, Rejection.BAD_FEATURES, problem + " (model '" + event.getModel() + "')");
    }
    Prediction prediction = model.predict(event.getId(), x, event.getTimestamp(), System.currentTimeMillis());
    stats.scored.increment();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    return new Scored(event, prediction, null, null, value, source.topic(), source.partition(), source.offset());
  }

  private Scored rejected(Event event, byte[] value, Rejection rejection, String reason) {
    stats.deadLetters.increment();
    stats.deadLetterBursts.record(rejection, reason, System.currentTimeMillis());
    RecordMetadata source = context.recordMetadata().orElseThrow();
    return new Scored(event, null, rejection, reason, value, source.topic(), source.partition(), source.offset());
  }
}
