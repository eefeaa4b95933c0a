package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.wire.FeaturizedExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Labels that came later train like any example and carry the prediction the user saw: the delayed
 * metrics continue exactly through a crash (checkpoint and journal) and from a published version.
 */
class DelayedTrainRecoveryTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec(
                    "m", Algorithm.LOGISTIC_REGRESSION, List.of("a", "b"))
            .setPublishEvery(1000)
            .setPublishIntervalMs(3_600_000)
            .setLabelWaitMs(60_000)
            .build();

    private final RegistryView view = new RegistryView();
    private final ModelCatalog catalog = new ModelCatalog(view, timeout -> true);

    DelayedTrainRecoveryTest() {
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

    /** Joined examples as the feedback join sends them: the user saw a margin from an older model. */
    private static List<byte[]> joined(int n) {
        Random random = new Random(11);
        List<byte[]> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double label = a - b + 0.5 * random.nextGaussian() > 0 ? 1.0 : 0.0;
            FeatureVector x = new FeatureVector(2);
            x.add(0, a);
            x.add(1, b);
            byte[] example = FeaturizedExample.encode("e" + i, Double.NaN, 2, x);
            double seenMargin = 0.3 * a + random.nextGaussian();
            Prediction seen = new Prediction(
                    "e" + i,
                    "m",
                    0L,
                    Algorithm.LOGISTIC_REGRESSION,
                    0.5,
                    seenMargin >= 0 ? 1 : 0,
                    seenMargin,
                    (long) i,
                    (long) i,
                    null);
            examples.add(JoinedExample.encode(
                    PendingLabel.waiting(60_000 + i, seen, "tributary.events", 0, i, example),
                    label,
                    5_000 + i,
                    false));
        }
        return examples;
    }

    private static void feed(
            TrainProcessor p, TrainTaskStores stores, List<byte[]> examples, int from, int to, int commitEvery) {
        for (int i = from; i < to; i++) {
            p.process(new Record<>("m", examples.get(i), i));
            if ((i + 1) % commitEvery == 0) {
                stores.commit();
            }
        }
        stores.commit();
    }

    private static List<ModelVersion> versions(TrainTaskStores stores) {
        return stores.context.forwarded().stream()
                .map(f -> f.record().value().getEntry())
                .filter(ModelVersion.class::isInstance)
                .map(ModelVersion.class::cast)
                .toList();
    }

    private static Map<String, Double> delayed(ModelVersion v) {
        return v.getMetrics().entrySet().stream()
                .filter(e -> e.getKey().startsWith("delayed."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 500})
    void aTaskRebuiltFromItsLastCommitCountsWhatAnUninterruptedOneWould(int commitEvery) {
        List<byte[]> examples = joined(3000);
        TrainTaskStores steady = new TrainTaskStores();
        feed(processor(steady), steady, examples, 0, 3000, commitEvery);

        TrainTaskStores crashing = new TrainTaskStores();
        TrainProcessor first = processor(crashing);
        feed(first, crashing, examples, 0, 1700, commitEvery);
        examples.subList(1700, 1750).forEach(e -> first.process(new Record<>("m", e, 0L))); // lost with the crash
        feed(processor(crashing), crashing, examples, 1700, 3000, commitEvery);

        List<ModelVersion> expected = versions(steady);
        List<ModelVersion> actual = versions(crashing);
        assertThat(actual).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 2000L, 3000L);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(delayed(actual.get(i))).isEqualTo(delayed(expected.get(i)));
            assertThat(actual.get(i).getMetrics()).isEqualTo(expected.get(i).getMetrics());
        }
        assertThat(delayed(actual.get(2)))
                .containsEntry("delayed.count", 3000.0)
                .containsKey("delayed.accuracy");
        // What the user saw is scored, not the trained model: the two accuracies differ.
        assertThat(actual.get(2).getMetrics().get("delayed.accuracy"))
                .isNotEqualTo(actual.get(2).getMetrics().get("accuracy"));
    }

    @Test
    void aTaskWithoutStateContinuesTheDelayedMetricsOfTheLatestVersion() {
        List<byte[]> examples = joined(2000);
        TrainTaskStores steady = new TrainTaskStores();
        feed(processor(steady), steady, examples, 0, 2000, 100);

        TrainTaskStores before = new TrainTaskStores();
        feed(processor(before), before, examples, 0, 1000, 100);
        ModelVersion v1 = versions(before).get(0);
        view.apply(RegistryKeys.version("m", 1), new RegistryRecord(v1));
        TrainTaskStores after = new TrainTaskStores(); // its changelog is gone: it starts from version 1
        feed(processor(after), after, examples, 1000, 2000, 100);

        assertThat(versions(after)).extracting(ModelVersion::getExamplesSeen).containsExactly(2000L);
        assertThat(delayed(versions(after).get(0)))
                .isEqualTo(delayed(versions(steady).get(1)));
    }
}
