package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.Vectors;
import dev.tributary.schema.wire.FeaturizedExample;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A train task that dies between two publications is rebuilt from its checkpoint and journal into
 * exactly the learner it was: the versions it publishes afterwards are those of a task that never
 * stopped.
 */
class TrainRecoveryTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec(
                    "m", Algorithm.LOGISTIC_REGRESSION, List.of("a", "b"))
            .setPublishEvery(1000)
            .setPublishIntervalMs(3_600_000)
            .build();

    private final RegistryView view = new RegistryView();
    private final ModelCatalog catalog = new ModelCatalog(view, timeout -> true);

    TrainRecoveryTest() {
        view.apply(RegistryKeys.spec("m"), new RegistryRecord(SPEC));
        view.apply(RegistryKeys.version("m", 0), new RegistryRecord(ModelSpecs.initialVersion(SPEC, 1L)));
    }

    private TrainProcessor processor(TrainTaskStores stores) {
        TrainProcessor p = new TrainProcessor(
                catalog,
                FunctionsTopology.TRAINER_STORE,
                FunctionsTopology.TRAINER_JOURNAL,
                "test",
                Duration.ZERO,
                Integer.MAX_VALUE,
                new FunctionStats());
        p.init(stores.context);
        return p;
    }

    private static List<Event> events(int n) {
        Random random = new Random(5);
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = 10 + 3 * random.nextGaussian();
            double b = random.nextGaussian();
            double label = 0.8 * (a - 10) - b + random.nextGaussian() > 0 ? 1.0 : 0.0;
            events.add(Event.newBuilder()
                    .setId("e" + i)
                    .setModel("m")
                    .setFeatures(Map.of("a", a, "b", b))
                    .setLabel(label)
                    .setTimestamp(i)
                    .build());
        }
        return events;
    }

    private static List<ModelVersion> versions(TrainTaskStores stores) {
        return stores.context.forwarded().stream()
                .map(f -> f.record().value().getEntry())
                .filter(ModelVersion.class::isInstance)
                .map(ModelVersion.class::cast)
                .toList();
    }

    /** The train-by-model value of an event, as the score function sends it. */
    private static byte[] featurized(Event e) {
        FeatureVector x = new FeatureVector(2);
        new Featurizer(SPEC.getFeatures(), SPEC.getCategoricalFeatures(), SPEC.getHashBits())
                .fill(e.getFeatures(), e.getCategories(), x);
        return FeaturizedExample.encode(
                e.getId(), e.getLabel(), SPEC.getFeatures().size(), x);
    }

    /** The input value as it arrived, as the train-by-model topic carried it before featurized examples. */
    private static byte[] asArrived(Event e) {
        return AvroCodec.of(Event.class).encode(e);
    }

    /** Feeds events [from, to) to the processor, committing after every {@code commitEvery} and at {@code to}. */
    private static void feed(
            TrainProcessor p, TrainTaskStores stores, List<Event> events, int from, int to, int commitEvery) {
        feed(p, stores, events, from, to, commitEvery, TrainRecoveryTest::featurized);
    }

    private static void feed(
            TrainProcessor p,
            TrainTaskStores stores,
            List<Event> events,
            int from,
            int to,
            int commitEvery,
            java.util.function.Function<Event, byte[]> value) {
        for (int i = from; i < to; i++) {
            Event e = events.get(i);
            p.process(new Record<>("m", value.apply(e), e.getTimestamp()));
            if ((i + 1) % commitEvery == 0) {
                stores.commit();
            }
        }
        stores.commit();
    }

    /**
     * Committing after every example, the model journals them (a few examples are fewer bytes than
     * its state); after every 500, it checkpoints its state instead. Either way the task is rebuilt
     * into the learner it was.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 500})
    void aTaskRebuiltFromItsLastCommitPublishesWhatAnUninterruptedOneWould(int commitEvery) {
        List<Event> events = events(3000);

        TrainTaskStores steady = new TrainTaskStores();
        feed(processor(steady), steady, events, 0, 3000, commitEvery);

        TrainTaskStores crashing = new TrainTaskStores();
        TrainProcessor first = processor(crashing);
        feed(first, crashing, events, 0, 1700, commitEvery);
        long checkpoint = crashing.state.get("m").getCurrent().getExamplesSeen();
        long journalled = crashing.liveJournalEntries("m");
        // It goes on past its last commit and dies: the input is read again from the committed offset.
        events.subList(1700, 1750).forEach(e -> first.process(new Record<>("m", featurized(e), e.getTimestamp())));
        feed(processor(crashing), crashing, events, 1700, 3000, commitEvery);

        if (commitEvery == 500) {
            assertThat(checkpoint)
                    .as("checkpointed at the commit before the crash")
                    .isEqualTo(1700);
        } else {
            assertThat(checkpoint)
                    .as("checkpointed at the first commit after version 1")
                    .isBetween(1000L, 1006L);
        }
        assertThat(journalled).as("the examples since that checkpoint").isEqualTo(1700 - checkpoint);
        assertSameVersions(versions(crashing), versions(steady));
    }

    /** Versions 1 to 3, each as an uninterrupted task published it. */
    private static void assertSameVersions(List<ModelVersion> actual, List<ModelVersion> expected) {
        assertThat(actual).extracting(ModelVersion::getVersion).containsExactly(1L, 2L, 3L);
        assertThat(actual).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 2000L, 3000L);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).getMetrics()).isEqualTo(expected.get(i).getMetrics());
            assertThat(Vectors.fromBytes(actual.get(i).getWeights()))
                    .containsExactly(Vectors.fromBytes(expected.get(i).getWeights()));
            assertThat(actual.get(i).getBias()).isEqualTo(expected.get(i).getBias());
        }
    }

    /**
     * Without the commit hook (Kafka Streams changed the interface it adapts), the trainer writes its
     * state after each example, in that record's transaction: a task that dies without a commit
     * having run any hook is still rebuilt into the learner it was.
     */
    @Test
    void withoutTheCommitHookEachExampleIsWrittenAsItIsLearned() {
        List<Event> events = events(3000);
        TrainTaskStores steady = new TrainTaskStores();
        feed(processor(steady), steady, events, 0, 3000, 500);

        TrainTaskStores fallback = new TrainTaskStores(false);
        TrainProcessor first = processor(fallback);
        events.subList(0, 1700).forEach(e -> first.process(new Record<>("m", featurized(e), e.getTimestamp())));
        assertThat(fallback.state.get("m").getCurrent().getExamplesSeen() + fallback.liveJournalEntries("m"))
                .as("every example learned is in the stores")
                .isEqualTo(1700);
        feed(processor(fallback), fallback, events, 1700, 3000, 500);

        assertSameVersions(versions(fallback), versions(steady));
    }

    /**
     * An owner that stops with examples it has not published yet (the instance was scaled in before
     * the publication interval came round): the next owner of the task publishes them when the
     * interval is due, without waiting for the model's next example.
     */
    @Test
    void theNextOwnerPublishesWhatItsPredecessorLearnedAndDidNotPublish() {
        List<Event> events = events(1500);
        TrainTaskStores stores = new TrainTaskStores();
        TrainProcessor first = processor(stores);
        feed(first, stores, events, 0, 1500, 100);
        first.close();
        assertThat(versions(stores)).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L);

        processor(stores);
        stores.context.setCurrentSystemTimeMs(1_000L + SPEC.getPublishIntervalMs());
        stores.context
                .scheduledPunctuators()
                .get(stores.context.scheduledPunctuators().size() - 1)
                .getPunctuator()
                .punctuate(stores.context.currentSystemTimeMs());

        assertThat(versions(stores)).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 1500L);
    }

    @Test
    void aJournalOfDecodedEventsLeftByTheFirstReleaseIsReplayedToo() {
        List<Event> events = events(3000);

        TrainTaskStores steady = new TrainTaskStores();
        feed(processor(steady), steady, events, 0, 3000, 1);

        TrainTaskStores upgraded = new TrainTaskStores();
        feed(processor(upgraded), upgraded, events, 0, 1700, 1, TrainRecoveryTest::asArrived);
        // Rewrite the journal as the first release wrote it: the decoded event, no input bytes.
        List<org.apache.kafka.streams.KeyValue<String, TrainingExample>> entries = new java.util.ArrayList<>();
        try (var all = upgraded.journal.all()) {
            all.forEachRemaining(entries::add);
        }
        for (var entry : entries) {
            TrainingExample example = entry.value;
            byte[] bytes = new byte[example.getValue().remaining()];
            example.getValue().duplicate().get(bytes);
            upgraded.journal.put(
                    entry.key,
                    TrainingExample.newBuilder()
                            .setSequence(example.getSequence())
                            .setEvent(AvroCodec.of(Event.class).decode(bytes))
                            .setSource(example.getSource())
                            .build());
        }
        feed(processor(upgraded), upgraded, events, 1700, 3000, 1);

        List<ModelVersion> expected = versions(steady);
        List<ModelVersion> actual = versions(upgraded);
        assertThat(actual).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 2000L, 3000L);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Vectors.fromBytes(actual.get(i).getWeights()))
                    .containsExactly(Vectors.fromBytes(expected.get(i).getWeights()));
        }
    }

    @Test
    void theJournalHoldsOnlyTheExamplesSinceTheLastCheckpoint() {
        TrainTaskStores stores = new TrainTaskStores();
        feed(processor(stores), stores, events(1250), 0, 1250, 1);
        assertThat(stores.state.get("m").getCurrent().getExamplesSeen())
                .as("the commit after version 1")
                .isEqualTo(1000);
        assertThat(stores.liveJournalEntries("m")).isEqualTo(250);
    }

    @Test
    void aModelThatLearnedMoreThanItsStateWeighsCheckpointsAtTheCommitInsteadOfJournalling() {
        TrainTaskStores stores = new TrainTaskStores();
        feed(processor(stores), stores, events(400), 0, 400, 400);
        TrainerState state = stores.state.get("m");
        assertThat(state.getCurrent().getExamplesSeen()).isEqualTo(400);
        assertThat(state.getCurrent().getVersion()).as("nothing published yet").isZero();
        assertThat(state.getWindow().getSize()).isEqualTo(400);
        try (var all = stores.journal.all()) {
            assertThat(all.hasNext()).isFalse();
        }
    }

    @Test
    void aClosedProcessorWritesNothingAtALaterFlushOfItsStores() {
        TrainTaskStores stores = new TrainTaskStores();
        TrainProcessor p = processor(stores);
        events(300).forEach(e -> p.process(new Record<>("m", featurized(e), e.getTimestamp())));
        p.close(); // closed dirty: its examples are read again by the next incarnation
        stores.commit();
        assertThat(stores.state.get("m")).isNull();
    }

    /** A journal or topic written before featurized examples (input values as they arrived) still trains, exactly. */
    @Test
    void inputValuesAsTheyArrivedTrainAsTheirFeaturizedExamplesDo() {
        List<Event> events = events(3000);
        TrainTaskStores featurized = new TrainTaskStores();
        feed(processor(featurized), featurized, events, 0, 3000, 1);

        TrainTaskStores mixed = new TrainTaskStores();
        feed(processor(mixed), mixed, events, 0, 1700, 1, TrainRecoveryTest::asArrived);
        assertThat(mixed.liveJournalEntries("m")).isEqualTo(700);
        feed(processor(mixed), mixed, events, 1700, 3000, 1);

        List<ModelVersion> expected = versions(featurized);
        List<ModelVersion> actual = versions(mixed);
        assertThat(actual).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 2000L, 3000L);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Vectors.fromBytes(actual.get(i).getWeights()))
                    .containsExactly(Vectors.fromBytes(expected.get(i).getWeights()));
            assertThat(actual.get(i).getMetrics()).isEqualTo(expected.get(i).getMetrics());
        }
    }
}
