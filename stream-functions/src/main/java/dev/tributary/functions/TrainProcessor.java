package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.learn.DelayedMetrics;
import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.model.MetricWindow;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.model.Promotion;
import dev.tributary.model.PromotionGate;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train function: labelled events, keyed by model (so one task writes each model), update
 * that model's learner; every {@code publishEvery} examples or {@code publishIntervalMs} a new
 * version goes to the registry topic (or the function's {@code batchSize} and {@code batchWindow},
 * when its spec sets them).
 *
 * <p>State, written once per commit rather than once per example: just before each commit of the
 * task ({@link TrainerStateStore#beforeCommit}), each model that learned since the last commit
 * writes either its learner's full state as a checkpoint into the {@code trainer-state} store, or
 * the examples it learned since then into the {@code trainer-journal} store (one small record
 * each, slots counted from the last checkpoint), whichever is fewer bytes: a busy or small model
 * checkpoints, a large model that learned a few examples journals them. A publication always
 * makes the next commit checkpoint. Both stores are changelogged in the same transaction as the
 * input offsets and the versions, so after a crash or a move to another instance the learner is
 * rebuilt exactly — the checkpoint, then the journal replayed in order (learning is
 * deterministic) — with nothing learned twice or lost.
 *
 * <p>Each example is also scored before it is learned into a {@link MetricWindow}: the model's
 * promotion metric over its last {@code promotionWindow} examples, kept in the trainer state and
 * recorded on every version ({@code window.<metric>}). For a model with {@code AUTO} promotion,
 * each new version goes through the {@link PromotionGate}; in the same transaction as the version,
 * {@code champion} is pointed at it if it passes, else {@code challenger}, and the decision is
 * recorded on the version.
 *
 * <p>A version larger than the registry topic accepts is not published: the reason is logged,
 * {@link FunctionStats#versionsTooLarge} counts it, training goes on and the last published
 * version stays in service.
 */
final class TrainProcessor implements Processor<String, byte[], String, RegistryRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainProcessor.class);
    /** Room for the record batch around one key and value, as the registry client leaves. */
    /** How long a version this task promoted counts as champion while this instance's view has not seen it. */
    private static final long OWN_PROMOTION_GRACE_MS = 30_000;

    private static final long TOO_LARGE_LOG_INTERVAL_MS = 60_000;
    /** A journal entry's bytes besides the input value: key, sequence, source offsets, timestamp. */
    private static final int JOURNAL_ENTRY_OVERHEAD_BYTES = 96;

    private final ModelCatalog catalog;
    private final String storeName;
    private final String journalName;
    private final String instanceId;
    private final Duration unknownModelWait;
    private final int maxVersionBytes;
    private final FunctionStats stats;
    private final EventDecoder decoder;
    private final FunctionSpec function;
    private final Retries retries;
    private final FeatureVector x = new FeatureVector(64);
    private final Map<String, Training> training = new HashMap<>();
    /** Models whose state this task restored and has not loaded yet (the first tick loads them). */
    private List<String> restored = List.of();

    private final AvroCodec<RegistryRecord> codec =
            TributarySerdes.registryRecord().codec();
    private ProcessorContext<String, RegistryRecord> context;
    private TrainerStateStore store;
    private KeyValueStore<String, TrainingExample> journal;
    private DriftSignals driftSignals = new DriftSignals();

    /**
     * @param maxVersionBytes the registry topic's {@code max.message.bytes}: a version whose record
     *     (key, value and batch overhead) is larger is not published
     */
    TrainProcessor(
            ModelCatalog catalog,
            String storeName,
            String journalName,
            String instanceId,
            Duration unknownModelWait,
            int maxVersionBytes,
            FunctionStats stats) {
        this(
                catalog,
                storeName,
                journalName,
                instanceId,
                unknownModelWait,
                maxVersionBytes,
                stats,
                new EventDecoder(EventLimits.DEFAULT),
                FunctionSpec.standard(dev.tributary.schema.Topics.defaults(), FunctionSpec.STANDARD_NAME));
    }

    /**
     * @param decoder reads the input values the repartition topic carries as they arrived (JSON or
     *     Avro {@link Event}s the score function already accepted)
     * @param function its {@code batchSize} and {@code batchWindow}, when set, replace each model's
     *     {@code publishEvery} and {@code publishIntervalMs}; its retries apply to finding the model
     */
    TrainProcessor(
            ModelCatalog catalog,
            String storeName,
            String journalName,
            String instanceId,
            Duration unknownModelWait,
            int maxVersionBytes,
            FunctionStats stats,
            EventDecoder decoder,
            FunctionSpec function) {
        this.decoder = decoder;
        this.function = function;
        this.retries = new Retries(function);
        this.catalog = catalog;
        this.storeName = storeName;
        this.journalName = journalName;
        this.instanceId = instanceId;
        this.unknownModelWait = unknownModelWait;
        this.maxVersionBytes = maxVersionBytes;
        this.stats = stats;
    }

    /** A model being trained here: its spec, learner and what it has learned since its last version. */
    private static final class Training {
        final ModelSpec spec;
        final long publishEvery;
        final long publishIntervalMs;
        final Featurizer featurizer;
        final int numericFeatures;
        final Learner learner;
        final MetricWindow window;
        /** The predictions users got, against the labels that came later ({@link JoinedExample}). */
        final DelayedMetrics delayed;
        /**
         * The lineage: the last publication (or the checkpoint this task started from). Its {@code
         * current} gives the last published version number; the learner has moved on since.
         */
        TrainerState state;
        /** examplesSeen of the checkpoint last written: the journal's slots count from it. */
        long checkpointed;
        /** The learner's whole state, as a checkpoint, roughly (float64 vectors and the metric window). */
        final long checkpointBytes;
        /** Whether the next commit writes a checkpoint (then {@link #pending} is not kept). */
        boolean checkpointDue;
        /** The examples learned since the last commit, for the journal, unless a checkpoint is due. */
        final List<TrainingExample> pending = new ArrayList<>();

        long pendingBytes;
        final Map<String, OffsetRange> ranges = new HashMap<>();
        /** The version this task last made champion, until this instance's registry view has it. */
        ModelVersion promoted;

        long promotedAt;
        /** Whether the view was brought up to date before this task's first promotion decision. */
        boolean viewChecked;

        long tooLargeLoggedAt = Long.MIN_VALUE;
        /** A fresh learner trained alongside after a drift alert, or null. Not checkpointed: a restart drops it. */
        Challenger challenger;

        Training(ModelSpec spec, FunctionSpec function, Learner learner, TrainerState state) {
            this.spec = spec;
            this.publishEvery = function.batchSize() != null ? function.batchSize() : spec.getPublishEvery();
            this.publishIntervalMs =
                    function.batchWindow() != null ? function.batchWindow().toMillis() : spec.getPublishIntervalMs();
            this.featurizer = new Featurizer(spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits());
            this.numericFeatures = spec.getFeatures().size();
            this.learner = learner;
            this.window =
                    MetricWindow.restore(Promotion.metricOrDefault(spec), Promotion.windowOf(spec), state.getWindow());
            this.delayed = new DelayedMetrics(
                    ModelVersions.taskOf(spec.getAlgorithm()),
                    state.getCurrent().getMetricState());
            this.state = state;
            this.checkpointed = state.getCurrent().getExamplesSeen();
            LearnerConfig config = ModelVersions.configOf(spec);
            this.checkpointBytes = ModelSpecs.checkpointBytes(spec);
            for (OffsetRange r : state.getCurrent().getSourceOffsets()) {
                ranges.put(r.getTopic() + "/" + r.getPartition(), r);
            }
        }

        /** Keeps an example for the journal (the caller skips this while a checkpoint is due). */
        void learned(TrainingExample example, int valueBytes) {
            pending.add(example);
            pendingBytes += valueBytes + JOURNAL_ENTRY_OVERHEAD_BYTES;
            if (pendingBytes >= checkpointBytes) {
                checkpointNext();
            }
        }

        void checkpointNext() {
            checkpointDue = true;
            pending.clear();
            pendingBytes = 0;
        }

        void committed() {
            checkpointDue = false;
            pending.clear();
            pendingBytes = 0;
        }
    }

    @Override
    public void init(ProcessorContext<String, RegistryRecord> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.journal = context.getStateStore(journalName);
        store.beforeCommit(this::beforeCommit);
        training.clear();
        restored = store.models();
        Duration tick = Duration.ofSeconds(1);
        if (function.batchWindow() != null && function.batchWindow().compareTo(tick) < 0) {
            tick = function.batchWindow();
        }
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::publishDue);
    }

    /**
     * Kafka Streams closes the processor when it suspends or closes the task, after the task's last
     * commit on a clean close. The task may be revived and restored from the changelog, and Kafka
     * Streams may still flush its stores before this processor is initialized again: nothing learned
     * here may be written then.
     */
    @Override
    public void close() {
        if (store != null) {
            store.beforeCommit(() -> {});
        }
        training.clear();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // The value is the example as the score function featurized it (or, written before that form
        // existed, the input value as it arrived); the journal keeps these same bytes.
        long start = System.nanoTime();
        byte[] value = record.value();
        if (record.key() == null || value == null) {
            LOG.warn("Skipped a training record without a model (key) or a value");
            return;
        }
        // Finding the model is retried (it changes nothing); once learning starts, a failure is not.
        // After the last attempt the exception reaches TrainFailureHandler, which dead-letters the event.
        Training t = retries.run(() -> training(record.key()), start);
        if (t == null) {
            return;
        }
        OffsetRange source = SourceHeaders.source(record.headers())
                .map(src -> new OffsetRange(src.topic(), src.partition(), src.offset(), src.offset()))
                .orElse(null);
        if (!learn(t, value, record.timestamp(), source, true)) {
            return;
        }
        long sequence = t.learner.examplesSeen();
        if (!t.checkpointDue) {
            t.learned(
                    new TrainingExample(sequence, null, source, ByteBuffer.wrap(value), record.timestamp()),
                    value.length);
        }
        if (sequence - t.state.getPublishedExamples() >= t.publishEvery) {
            publish(t, context.currentSystemTimeMs());
        }
        challenge(t);
    }

    /** Uses this topology's signals from the {@link DriftProcessor} to start challengers. */
    TrainProcessor driftSignals(DriftSignals signals) {
        this.driftSignals = signals;
        return this;
    }

    /** Starts a challenger a drift alert asked for; lets one that beat the model take over its training. */
    private void challenge(Training t) {
        String name = t.spec.getName();
        if (driftSignals.takeChallengerWanted(context.taskId(), name) && t.challenger == null) {
            t.challenger = Challenger.start(t.spec, t.learner);
            stats.challengersStarted.increment();
        }
        Challenger c = t.challenger;
        if (c == null) {
            return;
        }
        if (c.givesUp()) {
            LOG.info(
                    "Model '{}': the challenger did not beat the model in {} examples ({} vs {}) and stops",
                    name,
                    c.examples(),
                    String.format("%.4f", c.value()),
                    String.format("%.4f", c.modelValue()));
            t.challenger = null;
        } else if (c.wins()) {
            takeOver(t, c);
        }
    }

    /** The challenger's learner becomes the model's: its next version is published now. */
    private void takeOver(Training t, Challenger c) {
        String name = t.spec.getName();
        TrainerState lineage = new TrainerState(
                t.state.getCurrent(),
                t.state.getPublishedExamples(),
                t.state.getPublishedAt(),
                c.window().toRecord());
        Training next = new Training(t.spec, function, c.learner(), lineage);
        next.ranges.putAll(t.ranges);
        next.promoted = t.promoted;
        next.promotedAt = t.promotedAt;
        next.viewChecked = t.viewChecked;
        training.put(name, next);
        stats.challengersTookOver.increment();
        LOG.info(
                "Model '{}': the challenger beat the model on the same {} examples ({} {} vs {}) and takes over after "
                        + "{} examples",
                name,
                c.window().size(),
                c.window().metric().key(),
                String.format("%.4f", c.value()),
                String.format("%.4f", c.modelValue()),
                c.examples());
        publish(next, context.currentSystemTimeMs());
    }

    /**
     * Test-then-train on one example, a featurized one or an input value as it arrived; false if it
     * does not fit the model (nothing learned).
     */
    private boolean learn(Training t, byte[] value, long recordTimestamp, OffsetRange source, boolean live) {
        if (JoinedExample.matches(value)) {
            byte[] example = JoinedExample.example(value);
            boolean fits = learn(t, example, recordTimestamp, source, live);
            if (fits) {
                t.delayed.add(JoinedExample.margin(value), FeaturizedExample.label(example));
            }
            return fits;
        }
        if (!FeaturizedExample.matches(value)) {
            Event event;
            try {
                event = decoder.decode(value, recordTimestamp);
            } catch (DecodeException e) {
                LOG.warn("Model '{}' skipped an undecodable training record: {}", t.spec.getName(), e.getMessage());
                return false;
            }
            return learn(t, event, source, live);
        }
        String problem = FeaturizedExample.fill(value, t.numericFeatures, t.featurizer.dimension(), x);
        if (problem != null) {
            LOG.warn("Model '{}' skipped event '{}': {}", t.spec.getName(), FeaturizedExample.id(value), problem);
            return false;
        }
        if (!learnFilled(t, FeaturizedExample.label(value), source, live)) {
            LOG.warn(
                    "Model '{}' rejected the update from event '{}': it would make the weights non-finite or explode",
                    t.spec.getName(),
                    FeaturizedExample.id(value));
        }
        return true;
    }

    private boolean learn(Training t, Event event, OffsetRange source, boolean live) {
        String problem = t.featurizer.fill(event.getFeatures(), event.getCategories(), x);
        if (problem != null) {
            LOG.warn("Model '{}' skipped event '{}': {}", event.getModel(), event.getId(), problem);
            return false;
        }
        if (!learnFilled(t, event.getLabel(), source, live)) {
            LOG.warn(
                    "Model '{}' rejected the update from event '{}': it would make the weights non-finite or explode",
                    event.getModel(),
                    event.getId());
        }
        return true;
    }

    /** Test-then-train on {@link #x}; false if a live update was rejected (the caller says which event). */
    private boolean learnFilled(Training t, double y, OffsetRange source, boolean live) {
        double margin = t.learner.margin(x);
        t.window.add(t.learner, margin, y); // test, then train
        if (live && t.challenger != null) {
            t.challenger.learn(x, y, t.learner, margin);
        }
        boolean accepted = t.learner.learn(x, y);
        if (live && accepted) {
            stats.learned.increment();
        } else if (live) {
            stats.updatesRejected.increment();
        }
        if (source != null) {
            extend(t, source);
        }
        return accepted || !live;
    }

    /** Journal slots restart at 1 after each checkpoint: a key is reused once its example is in a checkpoint. */
    private static String journalKey(String model, long slot) {
        // As String.format("%010d", slot), without its cost on every example.
        String digits = Long.toString(slot);
        StringBuilder key = new StringBuilder(model.length() + 11).append(model).append('/');
        for (int i = digits.length(); i < 10; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }

    private Training training(String model) {
        Training t = training.get(model);
        if (t != null) {
            return t;
        }
        ModelSpec spec = catalog.spec(model).orElse(null);
        if (spec == null && catalog.awaitCaughtUp(unknownModelWait)) {
            spec = catalog.spec(model).orElse(null);
        }
        if (spec == null) {
            LOG.warn("Model '{}' is not in the registry (retired?): its training events are skipped", model);
            return null;
        }
        TrainerState saved = store.get(model);
        TrainerState state = saved;
        if (saved == null) {
            ModelVersion latest = catalog.latest(model)
                    .orElseThrow(() -> new IllegalStateException("model '" + model + "' has a spec but no version"));
            state = new TrainerState(latest, latest.getExamplesSeen(), context.currentSystemTimeMs(), null);
        }
        t = new Training(spec, function, ModelVersions.learnerOf(spec, state.getCurrent()), state);
        if (saved == null) {
            t.checkpointNext(); // the base any journal is replayed onto, whatever the registry holds later
        }
        replayJournal(t);
        training.put(model, t);
        return t;
    }

    /** Brings a learner rebuilt from its checkpoint up to date with the examples learned since. */
    private void replayJournal(Training t) {
        long checkpoint = t.state.getCurrent().getExamplesSeen();
        List<TrainingExample> since = new ArrayList<>();
        try (KeyValueIterator<String, TrainingExample> entries =
                journal.prefixScan(t.spec.getName() + "/", new StringSerializer())) {
            entries.forEachRemaining(entry -> {
                if (entry.value.getSequence() > checkpoint) {
                    since.add(entry.value); // slots below the checkpoint hold examples it already contains
                }
            });
        }
        since.sort(Comparator.comparingLong(TrainingExample::getSequence));
        for (TrainingExample example : since) {
            if (example.getEvent() != null) {
                learn(t, example.getEvent(), example.getSource(), false); // written by the first release
            } else {
                learn(t, bytesOf(example.getValue()), example.getRecordTimestamp(), example.getSource(), false);
            }
            if (t.learner.examplesSeen() != example.getSequence()) {
                throw new IllegalStateException("model '" + t.spec.getName()
                        + "': replaying the trainer journal reached " + t.learner.examplesSeen()
                        + " examples where the journal says " + example.getSequence());
            }
        }
        if (!since.isEmpty()) {
            LOG.info(
                    "Model '{}' resumed from its checkpoint at {} examples plus {} journalled since",
                    t.spec.getName(),
                    checkpoint,
                    since.size());
        }
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void extend(Training t, OffsetRange s) {
        t.ranges.merge(
                s.getTopic() + "/" + s.getPartition(),
                s,
                (old, now) -> new OffsetRange(
                        old.getTopic(),
                        old.getPartition(),
                        Math.min(old.getFromOffset(), now.getFromOffset()),
                        Math.max(old.getToOffset(), now.getToOffset())));
    }

    /** Keeps the delayed metrics' accumulators next to the learner's, once a label has come later. */
    private static void withDelayedState(ModelVersion version, Training t) {
        if (t.delayed.count() > 0) {
            Map<String, Double> state = new HashMap<>(version.getMetricState());
            state.putAll(t.delayed.state());
            version.setMetricState(state);
        }
    }

    /** Records a publication (or a refused one) as the lineage; the next commit writes a checkpoint. */
    private void published(Training t, ModelVersion version, long now) {
        t.state = new TrainerState(version, t.learner.examplesSeen(), now, null);
        t.checkpointNext();
    }

    /** Each model's checkpoint or journal entries since the last commit, in the commit's transaction. */
    private void beforeCommit() {
        for (Training t : training.values()) {
            String name = t.spec.getName();
            if (t.checkpointDue) {
                ModelVersion lineage = t.state.getCurrent();
                ModelVersion current = ModelVersions.versionOf(
                        name,
                        lineage.getVersion(),
                        t.learner.snapshot(),
                        lineage.getParentVersion(),
                        new ArrayList<>(t.ranges.values()),
                        lineage.getProducedBy(),
                        lineage.getCreatedAt(),
                        lineage.getMetrics());
                withDelayedState(current, t);
                store.put(
                        name,
                        new TrainerState(
                                current,
                                t.state.getPublishedExamples(),
                                t.state.getPublishedAt(),
                                t.window.toRecord()));
                t.checkpointed = current.getExamplesSeen();
            } else {
                for (TrainingExample example : t.pending) {
                    journal.put(journalKey(name, example.getSequence() - t.checkpointed), example);
                }
            }
            t.committed();
        }
    }

    private void publish(Training t, long now) {
        String name = t.spec.getName();
        long parent = t.state.getCurrent().getVersion();
        long next = parent + 1;
        Map<String, Double> metrics = new LinkedHashMap<>(t.learner.metrics().values());
        if (t.window.size() > 0) {
            metrics.put(t.window.metric().windowKey(), t.window.value());
        }
        metrics.put(Promotion.WINDOW_COUNT, (double) t.window.size());
        metrics.putAll(t.delayed.values());
        ModelVersion version = ModelVersions.versionOf(
                name,
                next,
                t.learner.snapshot(),
                parent,
                new ArrayList<>(t.ranges.values()),
                producedBy(),
                now,
                metrics);
        withDelayedState(version, t);
        PromotionDecision decision = null;
        if (Promotion.isAuto(t.spec)) {
            decision = PromotionGate.decide(t.spec, version, t.window.value(), t.window.size(), champion(t, now));
            version.setPromotion(decision);
        }
        String key = RegistryKeys.version(name, next);
        RegistryRecord value = new RegistryRecord(version);
        long size = (long) codec.encode(value).length
                + key.getBytes(StandardCharsets.UTF_8).length
                + ModelSpecs.RECORD_OVERHEAD_BYTES;
        if (size > maxVersionBytes) {
            refuseTooLarge(t, next, size, now);
            // As if published: the next attempt comes after another publishEvery examples, not on every example.
            published(
                    t,
                    ModelVersion.newBuilder(version)
                            .setVersion(parent)
                            .setParentVersion(t.state.getCurrent().getParentVersion())
                            .build(),
                    now);
            return;
        }
        context.forward(new Record<>(key, value, now));
        stats.versionsPublished.increment();
        t.ranges.clear();
        published(
                t, ModelVersion.newBuilder(version).setSourceOffsets(List.of()).build(), now);
        LOG.info(
                "Model '{}' published version {} after {} examples ({})",
                name,
                next,
                t.learner.examplesSeen(),
                metrics);
        if (decision != null) {
            String alias = decision.getAccepted() ? RegistryView.CHAMPION : Promotion.CHALLENGER;
            context.forward(new Record<>(
                    RegistryKeys.alias(name, alias), new RegistryRecord(new ModelAlias(name, alias, next, now)), now));
            if (decision.getAccepted()) {
                stats.versionsPromoted.increment();
                t.promoted = version;
                t.promotedAt = now;
                LOG.info("Model '{}' version {} is the new champion: {}", name, next, decision.getReason());
            } else {
                stats.versionsRefused.increment();
                LOG.warn(
                        "Model '{}' version {} was refused by the promotion gate and is now the challenger; champion stays "
                                + "at version {}: {}",
                        name,
                        next,
                        decision.getChampionVersion(),
                        decision.getReason());
            }
        }
    }

    /**
     * The version {@code champion} points at, as this instance's registry view has it — unless this
     * task promoted a version that the view has not caught up with yet (versions go out faster than
     * a transaction commits), which is then the champion.
     */
    private ModelVersion champion(Training t, long now) {
        String name = t.spec.getName();
        if (!t.viewChecked) {
            catalog.awaitCaughtUp(unknownModelWait); // after a restart or rebalance: decide on a current view
            t.viewChecked = true;
        }
        if (t.promoted != null) {
            boolean seen = catalog.version(name, t.promoted.getVersion()).isPresent();
            if (!seen && now - t.promotedAt < OWN_PROMOTION_GRACE_MS) {
                return t.promoted;
            }
            t.promoted = null; // the view has it (and any alias move made since): it is authoritative again
        }
        Long champion = catalog.aliases(name).get(RegistryView.CHAMPION);
        return champion == null ? null : catalog.version(name, champion).orElse(null);
    }

    private void refuseTooLarge(Training t, long version, long size, long now) {
        stats.versionsTooLarge.increment();
        String message = String.format(
                "Model '%s' version %d was not published: it is %,d bytes, over the %,d bytes "
                        + "the registry topic accepts (its max.message.bytes); training goes on and version %d stays in service. "
                        + "Lower the model's hashBits (each bit less halves the hashed weights) or raise max.message.bytes",
                t.spec.getName(),
                version,
                size,
                (long) maxVersionBytes,
                t.state.getCurrent().getVersion());
        if (t.tooLargeLoggedAt == Long.MIN_VALUE || now - t.tooLargeLoggedAt >= TOO_LARGE_LOG_INTERVAL_MS) {
            LOG.error(message);
            t.tooLargeLoggedAt = now;
        } else {
            LOG.debug(message);
        }
    }

    private void publishDue(long now) {
        // A previous owner may have stopped with examples it had not published yet: load those models,
        // so that their time-based publication does not wait for their next example.
        for (String model : restored) {
            if (!training.containsKey(model)) {
                try {
                    training(model);
                } catch (RuntimeException e) {
                    LOG.warn("Model '{}' could not be loaded from its restored state: {}", model, e.toString());
                }
            }
        }
        restored = List.of();
        for (Training t : training.values()) {
            boolean pending = t.learner.examplesSeen() > t.state.getPublishedExamples();
            if (pending && now - t.state.getPublishedAt() >= t.publishIntervalMs) {
                publish(t, now);
            }
        }
    }

    private String producedBy() {
        return instanceId + "/" + context.taskId();
    }
}
