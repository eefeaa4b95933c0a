package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.Vectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Poisoned learning: between two stretches of clean data, a burst of extreme but finite values
 * (features and labels up to {@link EventLimits#DEFAULT}'s magnitude, so the decoder accepts them)
 * reaches the train function. No published version may be non-finite, and the versions count the
 * examples and the guard's rejections ({@link FunctionStats#updatesRejected}, exported as
 * {@code tributary_updates_rejected_total}); every version's loss on clean data stays bounded and
 * the model recovers after the burst (the learners' outlier gate, docs/learning.md "The guard").
 */
class PoisonedLearningTest {
    private static final List<String> FEATURES = List.of("a", "b");
    private static final double EXTREME = EventLimits.DEFAULT.maxAbsFeatureValue();

    /** Every version published across the burst is finite, and every example is counted. */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aBurstOfExtremeValuesNeverPublishesANonFiniteVersion(Algorithm algorithm) {
        run(algorithm, false);
    }

    /**
     * The burst cannot poison the model: the outlier gate refuses the extreme examples before the
     * scaler or the weights see them (counted as rejected updates), so no version's clean-data loss
     * explodes and the last version is as good as the one before the burst.
     */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aBurstOfExtremeValuesCannotPoisonTheModel(Algorithm algorithm) {
        run(algorithm, true);
    }

    private void run(Algorithm algorithm, boolean lossMustStayBounded) {
        ModelSpec spec = ModelVersions.defaultSpec("m", algorithm, FEATURES)
                .setPublishEvery(100)
                .setPublishIntervalMs(3_600_000)
                .build();
        RegistryView view = new RegistryView();
        view.apply(RegistryKeys.spec("m"), new RegistryRecord(spec));
        view.apply(RegistryKeys.version("m", 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        ModelCatalog catalog = new ModelCatalog(view, timeout -> true);

        TrainTaskStores stores = new TrainTaskStores();
        FunctionStats stats = new FunctionStats();
        TrainProcessor train = new TrainProcessor(
                catalog,
                FunctionsTopology.TRAINER_STORE,
                FunctionsTopology.TRAINER_JOURNAL,
                "test",
                Duration.ZERO,
                Integer.MAX_VALUE,
                stats);
        train.init(stores.context);

        Random random = new Random(11);
        List<Event> clean = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            clean.add(cleanEvent(algorithm, random, "c" + i));
        }
        List<Event> stream = new ArrayList<>(clean.subList(0, 2000));
        for (int i = 0; i < 500; i++) {
            stream.add(extremeEvent(algorithm, random, "x" + i));
        }
        stream.addAll(clean.subList(2000, 4000));
        stream.forEach(e -> {
            train.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp()));
            stores.commit();
        });
        List<Event> holdout = clean.subList(4000, 6000);

        List<ModelVersion> versions = stores.context.forwarded().stream()
                .map(f -> f.record().value().getEntry())
                .filter(ModelVersion.class::isInstance)
                .map(ModelVersion.class::cast)
                .toList();
        assertThat(versions).hasSize(stream.size() / 100);
        ModelVersion beforeBurst = versions.get(19); // 2,000 clean examples
        double cleanLoss = loss(spec, beforeBurst, holdout);
        List<String> history = new ArrayList<>();
        for (ModelVersion v : versions) {
            double[] w = Vectors.fromBytes(v.getWeights());
            for (double x : w) {
                assertThat(Double.isFinite(x))
                        .as("weights of version %d", v.getVersion())
                        .isTrue();
            }
            assertThat(Double.isFinite(v.getBias()))
                    .as("bias of version %d", v.getVersion())
                    .isTrue();
            history.add(v.getVersion() + ":" + String.format("%.4g", loss(spec, v, holdout)));
        }
        System.out.printf(
                "%s: clean-data loss per version %s; updates rejected %d%n",
                algorithm, history, stats.updatesRejected.sum());
        ModelVersion last = versions.get(versions.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(stream.size());
        assertThat(last.getUpdatesRejected()).isEqualTo(stats.updatesRejected.sum());
        if (!lossMustStayBounded) {
            return;
        }
        for (ModelVersion v : versions) {
            double l = loss(spec, v, holdout);
            assertThat(Double.isFinite(l))
                    .as("loss of version %d", v.getVersion())
                    .isTrue();
            // Bounded: never worse than a model that knows nothing, by more than a margin.
            assertThat(l)
                    .as("clean-data loss of version %d, %s", v.getVersion(), history)
                    .isLessThan(bound(algorithm, spec, holdout));
        }
        assertThat(loss(spec, last, holdout))
                .as("recovered after the burst: %s", history)
                .isLessThan(cleanLoss * 1.5 + 1e-9);
        assertThat(stats.updatesRejected.sum())
                .as("the guard's rejections are counted")
                .isPositive();
    }

    private static Event cleanEvent(Algorithm algorithm, Random r, String id) {
        double a = r.nextGaussian();
        double b = r.nextGaussian();
        double y = algorithm == Algorithm.LINEAR_REGRESSION
                ? 3 * a - 2 * b + 1 + 0.1 * r.nextGaussian()
                : (2 * a - b + 0.3 * r.nextGaussian() > 0 ? 1 : 0);
        return Event.newBuilder()
                .setId(id)
                .setModel("m")
                .setFeatures(Map.of("a", a, "b", b))
                .setLabel(y)
                .setTimestamp(0)
                .build();
    }

    /** Features and labels at the edge of what the decoder accepts, with random signs. */
    private static Event extremeEvent(Algorithm algorithm, Random r, String id) {
        double a = (r.nextBoolean() ? 1 : -1) * EXTREME * r.nextDouble();
        double b = (r.nextBoolean() ? 1 : -1) * EXTREME;
        double y = algorithm == Algorithm.LINEAR_REGRESSION ? (r.nextBoolean() ? 1 : -1) * EXTREME : r.nextInt(2);
        return Event.newBuilder()
                .setId(id)
                .setModel("m")
                .setFeatures(Map.of("a", a, "b", b))
                .setLabel(y)
                .setTimestamp(0)
                .build();
    }

    /** Mean squared error (regression) or error rate (classifiers) of a version on clean data. */
    private static double loss(ModelSpec spec, ModelVersion version, List<Event> data) {
        Learner learner = ModelVersions.learnerOf(spec, version);
        Featurizer featurizer = Featurizer.of(ModelVersions.configOf(spec));
        FeatureVector x = new FeatureVector(4);
        double sum = 0;
        for (Event e : data) {
            featurizer.fill(e.getFeatures(), e.getCategories(), x);
            double m = learner.margin(x);
            if (spec.getAlgorithm() == Algorithm.LINEAR_REGRESSION) {
                double d = learner.output(m) - e.getLabel();
                sum += d * d;
            } else {
                sum += learner.predictedClass(m) == e.getLabel().intValue() ? 0 : 1;
            }
        }
        return sum / data.size();
    }

    /** A loss that has not exploded: 100 × the label variance for regression (a constant predictor's is 1×); any error rate. */
    private static double bound(Algorithm algorithm, ModelSpec spec, List<Event> data) {
        if (algorithm != Algorithm.LINEAR_REGRESSION) {
            return 1.0 + 1e-9;
        }
        double mean = data.stream().mapToDouble(Event::getLabel).average().orElseThrow();
        double var = data.stream()
                .mapToDouble(e -> (e.getLabel() - mean) * (e.getLabel() - mean))
                .average()
                .orElseThrow();
        return 100 * var;
    }
}
