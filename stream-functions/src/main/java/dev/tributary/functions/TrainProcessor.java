package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.model.MetricWindow;
import dev.tributary.model.PromotionGate;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 * task ({@link TrainerStateStore#beforeCommit}; without the commit hook, after each record and
 * punctuation instead: {@link TrainerStateStore#changed}), each model that learned since the last commit
 * writes either its learner's full state as a checkpoint into the {@code trainer-state} store, or
 * the examples it learned since then into the {@code trainer-journal} store (one small record
 * each, slots counted from the last checkpoint), whichever is fewer bytes: a busy or small model
 * checkpoints, a large model that learned a few examples journals them. A publication always
 * makes the next commit checkpoint. Both stores are changelogged in the same transaction as the
 * input offsets and the versions, so after a crash or a move to another instance the learner is
 * rebuilt exactly — the checkpoint, then the journal replayed in order (learning is
 * deterministic) — with nothing learned twice or lost.
 *
 * <p>The parts: {@link TrainedModels} loads each model ({@link JournalReplay}), {@link
 * TestThenTrain} learns each example of any generation ({@link TrainingInputs}), {@link
 * CheckpointOrJournal} and {@link TrainerStateWriter} write the state at commit, {@link
 * PublishCadence} says when a version is due, {@link VersionPublisher} publishes it ({@link
 * VersionSizeGuard}, {@link ChampionPromotion}), and {@link ChallengerRace} runs drift challengers.
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
    private final ChallengerRace challengers;

    private ProcessorContext<String, RegistryRecord> context;
    private TrainerStateStore store;
    private TrainedModels models;
    private TestThenTrain learning;
    private VersionPublisher publisher;

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
     *     Avro {@link dev.tributary.schema.Event}s the score function already accepted)
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
        this.challengers = new ChallengerRace(function, stats);
    }

    @Override
    public void init(ProcessorContext<String, RegistryRecord> context) {
        this.context = context;
        this.store = TrainerStateStore.of(context.getStateStore(storeName));
        KeyValueStore<String, TrainingExample> journal = context.getStateStore(journalName);
        TrainerStateWriter writer = new TrainerStateWriter(store, journal);
        this.learning = new TestThenTrain(new TrainingInputs(decoder), stats);
        this.models =
                new TrainedModels(catalog, unknownModelWait, function, store, new JournalReplay(journal, learning));
        this.publisher = new VersionPublisher(
                context,
                instanceId,
                stats,
                new VersionSizeGuard(maxVersionBytes, stats),
                new ChampionPromotion(catalog, unknownModelWait, stats));
        TrainedModels trained = models;
        store.beforeCommit(() -> writer.write(trained.all()));
        context.schedule(PublishCadence.tick(function), PunctuationType.WALL_CLOCK_TIME, this::publishDue);
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
        models = null;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        learn(record);
        store.changed();
    }

    private void learn(Record<String, byte[]> record) {
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
        ModelTraining t = retries.run(() -> models.get(record.key(), context.currentSystemTimeMs()), start);
        if (t == null) {
            return;
        }
        if (!learning.learn(t, value, record.timestamp(), true)) {
            return;
        }
        SourceHeaders.Source source = SourceHeaders.source(record.headers()).orElse(null);
        if (source != null) {
            t.learnedFrom(source);
        }
        t.writes.learned(t.learner.examplesSeen(), source, value, record.timestamp());
        if (t.publishDueByCount()) {
            publisher.publish(t, context.currentSystemTimeMs());
        }
        ModelTraining successor = challengers.step(t, context.taskId(), models.byName());
        if (successor != null) {
            publisher.publish(successor, context.currentSystemTimeMs());
        }
    }

    /** Uses this topology's signals from the {@link DriftProcessor} to start challengers. */
    TrainProcessor driftSignals(DriftSignals signals) {
        challengers.driftSignals(signals);
        return this;
    }

    private void publishDue(long now) {
        // A previous owner may have stopped with examples it had not published yet: load those models,
        // so that their time-based publication does not wait for their next example.
        models.loadRestored(context.currentSystemTimeMs());
        for (ModelTraining t : models.all()) {
            if (t.publishDueByTime(now)) {
                publisher.publish(t, now);
            }
        }
        store.changed();
    }
}
