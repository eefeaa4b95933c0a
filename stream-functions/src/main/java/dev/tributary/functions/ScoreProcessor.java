package dev.tributary.functions;

import dev.tributary.functions.internal.CommitHook;
import dev.tributary.functions.spec.Routing;
import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.MapOrder;
import dev.tributary.registry.ModelCache;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.wire.FeaturizedExample;
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
 * Prediction}. Anything unusable becomes a rejected {@link Scored} carrying its reason. Events of
 * models this function does not serve are left to the functions that do ({@link Routing}); an
 * unexpected exception is retried ({@link Retries}), then rejected as {@link Rejection#FAILED}, and
 * a prediction that took longer than the function's timeout is rejected as {@link Rejection#TIMED_OUT}.
 *
 * <p>It also meters itself ({@link UsageAccount}): every invocation is counted per model in memory,
 * and the counts that changed are written to the task's usage store just before the task commits
 * ({@link CommitHookStore}), so the store is changelogged in the same transaction as the input
 * offsets, the predictions and the dead letters. Once per interval a wall-clock punctuation
 * forwards one usage record per model and empties the store, in that same transaction. So under
 * exactly-once the usage records add up to the events processed, across crashes and rebalances:
 * counts of a committed input are committed with it, and counts of an aborted one are rolled back
 * with it. Without the commit hook the counts are written at every invocation instead.
 */
final class ScoreProcessor implements Processor<byte[], byte[], byte[], Scored> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreProcessor.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_CLOCK = THREADS.isCurrentThreadCpuTimeSupported();
    /** How often the usage punctuation checks whether the interval is over or a flush was asked for. */
    private static final long TICK_MS = 1000;
    /** The {@link CommitHookStore} this processor needs, to write its usage counts once per commit. */
    static final String USAGE_COMMITS = "usage-commits";

    private final ModelCatalog catalog;
    private final EventDecoder decoder;
    private final Duration unknownModelWait;
    private final FunctionStats stats;
    private final Routing routing;
    private final Retries retries;
    /** Whether events that wait for a label go to the {@link FeedbackJoin}. */
    private final boolean joinsFeedback;

    private final String usageStoreName;
    private final FunctionsTopology.Metering metering;
    private final String instanceId;
    private final FeatureVector x = new FeatureVector(64);
    private final MapOrder featureOrder = new MapOrder();
    private final ModelCatalog.LastServed lastServed = new ModelCatalog.LastServed();
    private ProcessorContext<byte[], Scored> context;
    private KeyValueStore<String, byte[]> usageStore;
    private UsageAccount usage;
    private boolean saveUsageAtCommit;
    /** The instance's invocation count when this task's interval started. */
    private long instanceInvocationsAtStart;

    private long calls;

    ScoreProcessor(
            ModelCatalog catalog,
            EventDecoder decoder,
            Duration unknownModelWait,
            FunctionStats stats,
            Routing routing,
            String usageStoreName,
            FunctionsTopology.Metering metering,
            String instanceId) {
        this.catalog = catalog;
        this.decoder = decoder;
        this.unknownModelWait = unknownModelWait;
        this.stats = stats;
        this.routing = routing;
        this.retries = new Retries(routing.self());
        this.joinsFeedback = FeedbackJoin.applies(routing.self());
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
                UsageTally counts = UsageTally.fromBytes(entry.value);
                usage.restore(entry.key, counts);
                stats.usageUnwritten.add(counts.invocations);
            });
        }
        CommitHookStore commits = CommitHookStore.of(context.getStateStore(USAGE_COMMITS));
        saveUsageAtCommit = commits.commitHooked();
        CommitHook.NodeScope scope = CommitHook.scopeOf(context);
        commits.beforeCommit(() -> scope.run(context.currentSystemTimeMs(), this::saveUsage));
        context.schedule(
                Duration.ofMillis(Math.min(TICK_MS, metering.interval().toMillis())),
                PunctuationType.WALL_CLOCK_TIME,
                this::tick);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        boolean sampled = CPU_CLOCK && usage.sampleNext();
        long cpuStart = sampled ? THREADS.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Scored scored;
        long end;
        try {
            scored = retries.run(() -> score(record.value(), record.timestamp(), source), start);
            end = System.nanoTime(); // one clock read for the timeout and the score time
            if (scored instanceof Scored.Predicted predicted && retries.overTimeout(start, end)) {
                scored = failed(
                        predicted.event(),
                        record.value(),
                        Rejection.TIMED_OUT,
                        String.format(
                                "scoring took %d ms, over the function's timeout of %d ms",
                                (System.nanoTime() - start) / 1_000_000,
                                routing.self().timeout().toMillis()),
                        source,
                        retries.attempts());
                end = System.nanoTime();
            }
        } catch (Retries.ExhaustedException e) {
            scored = failed(null, record.value(), Rejection.FAILED, e.getMessage(), source, e.attempts);
            end = System.nanoTime();
        }
        stats.recordScoreNanos(end - start, ++calls);
        if (scored == null) {
            stats.skipped.increment(); // another function handles this event
            return;
        }
        Scored.Rejected rejected = scored instanceof Scored.Rejected r ? r : null;
        if (rejected == null) {
            stats.scored.increment();
        } else {
            stats.deadLetters.increment();
            stats.deadLetterBursts.record(rejected.rejection(), rejected.reason(), System.currentTimeMillis());
        }
        context.forward(record.withValue(scored));
        long cpu = sampled ? THREADS.getCurrentThreadCpuTime() - cpuStart : -1;
        String model = usageModel(scored);
        UsageTally counts = usage.record(model, rejected != null, cpu);
        if (!saveUsageAtCommit) {
            usageStore.put(model, counts.toBytes());
        }
        stats.usageUnwritten.increment();
    }

    private void saveUsage() {
        usage.saveChanged((model, counts) -> usageStore.put(model, counts.toBytes()));
    }

    /** The model an invocation is billed to: the one the event named, if it is registered. */
    private static String usageModel(Scored scored) {
        if (scored instanceof Scored.Rejected r) {
            return r.model() == null || r.rejection() == Rejection.UNKNOWN_MODEL ? UsageAccount.NO_MODEL : r.model();
        }
        return ((Scored.Predicted) scored).model();
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
        for (UsageRecord r : usage.close(
                now,
                metering.function(),
                instanceId,
                context.taskId().toString(),
                instanceInvocations - instanceInvocationsAtStart,
                routing.self().memoryBytes())) { // billed as configured
            byte[] key = (r.getFunction() + "/" + r.getModel()).getBytes(StandardCharsets.UTF_8);
            context.forward(new Record<>(key, new Scored.Usage(r), now));
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

    /** The outcome for this function, or null when the event is another function's to handle. */
    private Scored score(byte[] value, long recordTimestamp, RecordMetadata source) {
        Event event;
        try {
            event = decoder.decode(value, recordTimestamp);
        } catch (DecodeException e) {
            return rejected(null, value, Rejection.UNDECODABLE, e.getMessage(), source);
        }
        if (!routing.serves(event.getModel())) {
            return null;
        }
        ServingModel model;
        try {
            model = catalog.servingOrWait(event.getModel(), unknownModelWait, lastServed);
        } catch (ModelCache.ModelUnusableException e) {
            return rejected(event, value, Rejection.MODEL_UNUSABLE, e.getMessage(), source);
        }
        if (model == null) {
            return rejected(
                    event,
                    value,
                    Rejection.UNKNOWN_MODEL,
                    "unknown model '" + event.getModel() + "': create it first (tributary models create "
                            + event.getModel() + " ...)",
                    source);
        }
        Double label = event.getLabel();
        String badLabel = model.labelProblem(label);
        if (badLabel != null) {
            return rejected(event, value, Rejection.BAD_LABEL, badLabel, source);
        }
        String problem = model.featurize(event.getFeatures(), event.getCategories(), x, featureOrder);
        if (problem != null) {
            return rejected(
                    event, value, Rejection.BAD_FEATURES, problem + " (model '" + event.getModel() + "')", source);
        }
        Prediction prediction = model.predict(event.getId(), x, event.getTimestamp(), System.currentTimeMillis());
        if (lastServed.mayBeShadowed()) {
            prediction.setShadows(catalog.shadows().score(model, x));
        }
        // Featurized once, here: the train function learns from these entries without decoding the event again
        // (an event that waits for its label keeps them in the pending-labels store until it comes).
        boolean trains = label != null
                ? routing.self().kind().trains()
                : joinsFeedback && model.spec().getLabelWaitMs() > 0;
        byte[] training = !trains
                ? null
                : FeaturizedExample.encode(
                        event.getId(),
                        label == null ? Double.NaN : label,
                        model.spec().getFeatures().size(),
                        x);
        return new Scored.Predicted(event, prediction, training, Scored.Source.of(source));
    }

    /** A rejection of bad input, or null when another function writes this event's dead letter. */
    private Scored rejected(Event event, byte[] value, Rejection rejection, String reason, RecordMetadata source) {
        boolean registered = event != null && rejection != Rejection.UNKNOWN_MODEL;
        if (!routing.reports(source.topic(), registered ? event.getModel() : null)) {
            return null;
        }
        return failed(event, value, rejection, reason, source, 1);
    }

    /** A rejection this function alone knows of (it failed or was too slow): always its own to write. */
    private static Scored failed(
            Event event, byte[] value, Rejection rejection, String reason, RecordMetadata source, int attempts) {
        return new Scored.Rejected(
                event == null ? null : event.getModel(), rejection, reason, value, Scored.Source.of(source), attempts);
    }
}
