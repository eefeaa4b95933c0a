package dev.tributary.functions;

import dev.tributary.functions.internal.CommitHook;
import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.Routing;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.ShadowComparison;
import dev.tributary.schema.Topics;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.FeedbackDecoder;
import dev.tributary.schema.serde.TributarySerdes;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The score and train functions as one Kafka Streams topology, read top to bottom:
 *
 * <pre>
 * events ─► score ─► outcome ─┬─► rejected ─────────────────────────────► dead-letters
 *                             ├─► usage (per model, once per interval) ──► usage
 *                             └─► accepted ─┬─► prediction ─────────────► predictions
 *                                           ├─► awaits label ─┐
 *                                           │    feedback ──► join (pending-labels) ─┬─► joined or defaulted ─► (as labelled)
 *                                           │                                        └─► unmatched, duplicate ─► dead-letters
 *                                           └─► labelled ─► batch by model ═► re-key ═► unbatch ─┬─► drift ──► alerts (DriftAlert)
 *                                               (one record per model per commit)               ├─► compare ► comparisons (ShadowComparison)
 *                                                                                               │        └──► models (champion, by evidence)
 *                                                                                               └─► train ──► models (new versions)
 * </pre>
 *
 * The score function counts its invocations in the {@value #USAGE_STORE} store (see {@link
 * ScoreProcessor}), so its usage records are written in the same transactions as its outputs.
 */
public final class FunctionsTopology {
    public static final String TRAINER_STORE = "trainer-state";
    public static final String TRAINER_JOURNAL = "trainer-journal";
    static final String TRAIN_REPARTITION = "train-by-model";
    /** The train function's processor node (its failures are dead-lettered by {@link TrainFailureHandler}). */
    static final String TRAIN_NODE = "train";
    /** The drift detectors' processor node: it watches the examples the train function receives. */
    static final String DRIFT_NODE = "drift";
    /** The branch node of the score function's outcomes; each branch's node is this name and the branch's. */
    private static final String OUTCOME = "outcome-";

    private static final String ACCEPTED = "accepted";
    private static final String REJECTED = "rejected";
    private static final String USAGE_RECORDS = "usage-records";

    public static final String USAGE_STORE = "usage";
    /**
     * The largest trainer-state record: twice the registry's limit, so that a version too large for
     * the registry (which the train function refuses to publish) still fits in the trainer's changelog.
     */
    public static final int TRAINER_STATE_MAX_BYTES = 2 * Topics.REGISTRY_MAX_MESSAGE_BYTES;

    /** The internal topic that carries labelled events to the train function, keyed by model. */
    public static String trainRepartitionTopic(String applicationId) {
        return applicationId + "-" + TRAIN_REPARTITION + "-repartition";
    }

    private FunctionsTopology() {}

    /** The score and train functions as {@code tributary run} runs them without a function file. */
    public static Topology build(Topics topics, ModelCatalog catalog, Settings settings, FunctionStats stats) {
        return build(topics, catalog, settings, stats, true);
    }

    /**
     * The same topology, with or without the train function: {@code train = false} builds the score
     * function alone (predictions and dead letters; no repartition topic, no store, no versions),
     * as {@code tributary bench} measures it.
     */
    public static Topology build(
            Topics topics, ModelCatalog catalog, Settings settings, FunctionStats stats, boolean train) {
        FunctionSpec standard = FunctionSpec.standard(topics, FunctionSpec.STANDARD_NAME);
        return build(
                topics,
                catalog,
                settings,
                stats,
                Routing.alone(standard.withKind(train ? FunctionSpec.Kind.BOTH : FunctionSpec.Kind.SCORE)));
    }

    /**
     * One function of a function file: its trigger topics (or pattern), the models it serves, its
     * output topic, and score, train or both ({@code routing.self()}).
     */
    public static Topology build(
            Topics topics, ModelCatalog catalog, Settings settings, FunctionStats stats, Routing routing) {
        FunctionSpec function = routing.self();
        EventDecoder decoder =
                new EventDecoder(settings.limits(), () -> catalog.awaitCaughtUp(settings.unknownModelWait()));
        StreamsBuilder builder = new StreamsBuilder();

        // The outcomes are exclusive: one branch node hands each to its own path.
        Map<String, KStream<byte[], Scored>> outcomes = score(builder, catalog, decoder, settings, stats, routing)
                .split(Named.as(OUTCOME))
                .branch((key, s) -> s instanceof Scored.Predicted, Branched.as(ACCEPTED))
                .branch((key, s) -> s instanceof Scored.Rejected, Branched.as(REJECTED))
                .defaultBranch(Branched.as(USAGE_RECORDS));
        outcomes.get(OUTCOME + USAGE_RECORDS)
                .mapValues(s -> ((Scored.Usage) s).record(), Named.as("usage-record"))
                .to(
                        topics.usage(),
                        Produced.<byte[], UsageRecord>with(Serdes.ByteArray(), TributarySerdes.usageRecord())
                                .withName("usage"));
        deadLetters(outcomes.get(OUTCOME + REJECTED), topics, "");
        KStream<byte[], Scored> accepted = outcomes.get(OUTCOME + ACCEPTED);
        if (function.kind().scores()) {
            accepted.mapValues(s -> ((Scored.Predicted) s).prediction(), Named.as("prediction"))
                    .to(function.output(), predictions(function.outputFormat()));
        }
        if (!function.kind().trains()) {
            return builder.build();
        }

        KStream<byte[], Scored> labelled = accepted.filter(FunctionsTopology::labelled, Named.as("labelled"));
        if (FeedbackJoin.applies(function)) {
            FeedbackDecoder feedbackDecoder =
                    new FeedbackDecoder(settings.limits(), () -> catalog.awaitCaughtUp(settings.unknownModelWait()));
            KStream<byte[], Scored> joined =
                    FeedbackJoin.addTo(builder, accepted, catalog, feedbackDecoder, stats, routing);
            deadLetters(
                    joined.filter((key, s) -> s instanceof Scored.Rejected, Named.as("feedback-rejected")),
                    topics,
                    "feedback-");
            labelled = labelled.merge(
                    joined.filter(FunctionsTopology::labelled, Named.as("joined")), Named.as("labelled-or-joined"));
        }
        // Each model's examples of a commit as one record across the re-keying topic, then one by one again.
        builder.addStateStore(CommitHookStore.builder(BatchByModel.STORE));
        KStream<String, byte[]> examples = labelled.process(
                        BatchByModel::new, Named.as("batch-by-model"), BatchByModel.STORE)
                .repartition(trainTopic(function.trigger(), settings))
                .process(Unbatch::new, Named.as("unbatch"));

        // Added before the trainer, so it sees each example first and can ask the trainer for a challenger.
        DriftSignals signals = new DriftSignals();
        examples.process(() -> new DriftProcessor(catalog, stats, settings.instanceId(), signals), Named.as(DRIFT_NODE))
                .to(
                        topics.alerts(),
                        Produced.<String, DriftAlert>with(Serdes.String(), TributarySerdes.driftAlert())
                                .withName("alerts"));
        compare(examples, catalog, stats, topics);
        train(builder, examples, catalog, settings, stats, decoder, function, signals)
                .to(topics.models(), registryRecords("versions"));

        return builder.build();
    }

    /** The score function, counting its invocations in the {@value #USAGE_STORE} store. */
    private static KStream<byte[], Scored> score(
            StreamsBuilder builder,
            ModelCatalog catalog,
            EventDecoder decoder,
            Settings settings,
            FunctionStats stats,
            Routing routing) {
        // Written once per model per commit through the commit hook; without the hook, at every event, so cached.
        StoreBuilder<KeyValueStore<String, byte[]>> usageStore = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(USAGE_STORE), Serdes.String(), Serdes.ByteArray());
        builder.addStateStore(CommitHook.available() ? usageStore : usageStore.withCachingEnabled());
        builder.addStateStore(CommitHookStore.builder(ScoreProcessor.USAGE_COMMITS));
        Consumed<byte[], byte[]> consumed =
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events");
        FunctionSpec.Trigger trigger = routing.self().trigger();
        return (trigger.pattern() != null
                        ? builder.stream(trigger.pattern(), consumed)
                        : builder.stream(trigger.topics(), consumed))
                .process(
                        () -> new ScoreProcessor(
                                catalog,
                                decoder,
                                settings.unknownModelWait(),
                                stats,
                                routing,
                                USAGE_STORE,
                                settings.metering(),
                                settings.instanceId()),
                        Named.as("score"),
                        USAGE_STORE,
                        ScoreProcessor.USAGE_COMMITS);
    }

    /** Rejected events or feedback, described, to the dead-letters topic; {@code prefix} tells their nodes apart. */
    private static void deadLetters(KStream<byte[], Scored> rejected, Topics topics, String prefix) {
        rejected.processValues(DeadLetterProcessor::new, Named.as("describe-" + prefix + "rejection"))
                .to(
                        topics.deadLetters(),
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(prefix + "dead-letters"));
    }

    private static Produced<byte[], Prediction> predictions(FunctionSpec.OutputFormat format) {
        return Produced.<byte[], Prediction>with(
                        Serdes.ByteArray(),
                        format == FunctionSpec.OutputFormat.JSON
                                ? PredictionJson.serde()
                                : TributarySerdes.prediction())
                .withName("predictions");
    }

    private static Produced<String, RegistryRecord> registryRecords(String name) {
        return Produced.<String, RegistryRecord>with(Serdes.String(), TributarySerdes.registryRecord())
                .withName(name);
    }

    /** Shadow versions against the serving one: comparisons, and promotions on the evidence to the registry. */
    private static void compare(
            KStream<String, byte[]> examples, ModelCatalog catalog, FunctionStats stats, Topics topics) {
        KStream<String, SpecificRecord> compared =
                examples.process(() -> new CompareProcessor(catalog, stats), Named.as("compare"));
        compared.filter((model, r) -> r instanceof ShadowComparison, Named.as("comparison"))
                .mapValues(r -> (ShadowComparison) r, Named.as("as-comparison"))
                .to(
                        topics.comparisons(),
                        Produced.<String, ShadowComparison>with(Serdes.String(), TributarySerdes.shadowComparison())
                                .withName("comparisons"));
        compared.filter((model, r) -> r instanceof RegistryRecord, Named.as("promotion"))
                .mapValues(r -> (RegistryRecord) r, Named.as("as-registry-record"))
                .to(topics.models(), registryRecords("promotions"));
    }

    /** The train function and its stores: the new versions it publishes. */
    private static KStream<String, RegistryRecord> train(
            StreamsBuilder builder,
            KStream<String, byte[]> examples,
            ModelCatalog catalog,
            Settings settings,
            FunctionStats stats,
            EventDecoder decoder,
            FunctionSpec function,
            DriftSignals signals) {
        // A trainer state holds a whole model: its changelog takes records larger than the registry's.
        builder.addStateStore(TrainerStateStore.builder(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(TRAINER_STORE), Serdes.String(), TributarySerdes.trainerState())
                .withLoggingEnabled(Map.of("max.message.bytes", String.valueOf(TRAINER_STATE_MAX_BYTES + (1 << 20))))));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TRAINER_JOURNAL), Serdes.String(), TributarySerdes.trainingExample()));
        return examples.process(
                () -> new TrainProcessor(
                                catalog,
                                TRAINER_STORE,
                                TRAINER_JOURNAL,
                                settings.instanceId(),
                                settings.unknownModelWait(),
                                settings.maxVersionBytes(),
                                stats,
                                decoder,
                                function)
                        .driftSignals(signals),
                Named.as(TRAIN_NODE),
                TRAINER_STORE,
                TRAINER_JOURNAL);
    }

    /**
     * The train topic, keyed by model. Its partitions follow the trigger's topics; a pattern may match
     * no topic yet, so its function's train topic has a fixed count, and the function starts (and
     * picks the topics up as they appear) instead of failing its assignment.
     */
    private static Repartitioned<String, byte[]> trainTopic(FunctionSpec.Trigger trigger, Settings settings) {
        Repartitioned<String, byte[]> topic = Repartitioned.<String, byte[]>with(Serdes.String(), Serdes.ByteArray())
                .withName(TRAIN_REPARTITION);
        return trigger.pattern() == null ? topic : topic.withNumberOfPartitions(settings.patternTrainPartitions());
    }

    /**
     * @param limits bounds on one input event
     * @param unknownModelWait how long to wait for the registry view to catch up before declaring a model unknown
     * @param instanceId names this instance in the lineage of the versions it publishes
     * @param maxVersionBytes the registry topic's {@code max.message.bytes}: the train function does not
     *     publish a larger version (it logs why and counts it)
     * @param metering the function's name in usage records and how often they are written
     * @param patternTrainPartitions partitions of the train topic of a function triggered by a pattern (the
     *     instance's {@code --partitions})
     */
    public record Settings(
            EventLimits limits,
            Duration unknownModelWait,
            String instanceId,
            int maxVersionBytes,
            Metering metering,
            int patternTrainPartitions) {
        /** Partitions of the train topic of a function triggered by a pattern, unless the instance says otherwise. */
        public static final int PATTERN_TRAIN_PARTITIONS = 4;

        public Settings {
            if (maxVersionBytes < 1) {
                throw new IllegalArgumentException("maxVersionBytes must be positive, not " + maxVersionBytes);
            }
            if (patternTrainPartitions < 1) {
                throw new IllegalArgumentException(
                        "patternTrainPartitions must be positive, not " + patternTrainPartitions);
            }
        }

        /** Settings for a registry topic created by {@link Topics} ({@link Topics#REGISTRY_MAX_MESSAGE_BYTES}). */
        public Settings(EventLimits limits, Duration unknownModelWait, String instanceId) {
            this(
                    limits,
                    unknownModelWait,
                    instanceId,
                    Topics.REGISTRY_MAX_MESSAGE_BYTES,
                    Metering.DEFAULT,
                    PATTERN_TRAIN_PARTITIONS);
        }

        public static Settings defaults(String instanceId) {
            return new Settings(EventLimits.DEFAULT, Duration.ofSeconds(5), instanceId);
        }

        public Settings withMaxVersionBytes(int bytes) {
            return new Settings(limits, unknownModelWait, instanceId, bytes, metering, patternTrainPartitions);
        }

        public Settings withLimits(EventLimits eventLimits) {
            return new Settings(
                    eventLimits, unknownModelWait, instanceId, maxVersionBytes, metering, patternTrainPartitions);
        }

        public Settings withMetering(Metering m) {
            return new Settings(limits, unknownModelWait, instanceId, maxVersionBytes, m, patternTrainPartitions);
        }

        public Settings withPatternTrainPartitions(int partitions) {
            return new Settings(limits, unknownModelWait, instanceId, maxVersionBytes, metering, partitions);
        }
    }

    /**
     * How the functions meter themselves.
     *
     * @param function the name usage records and metrics give the function
     * @param interval how often each task writes its usage records (one per model it processed)
     */
    public record Metering(String function, Duration interval) {
        public static final String DEFAULT_FUNCTION = FunctionSpec.STANDARD_NAME;
        public static final Metering DEFAULT = new Metering(DEFAULT_FUNCTION, Duration.ofSeconds(10));

        public Metering {
            if (function == null || function.isBlank()) {
                throw new IllegalArgumentException("a function needs a name");
            }
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("the usage interval must be at least 1 ms, not " + interval);
            }
        }

        public Metering withInterval(Duration d) {
            return new Metering(function, d);
        }

        public Metering withFunction(String name) {
            return new Metering(name, interval);
        }
    }

    /** Whether the train function learns from {@code s}. */
    private static boolean labelled(byte[] key, Scored s) {
        return s instanceof Scored.Trainable t && t.labelled();
    }
}
