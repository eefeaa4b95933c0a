package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Learner;
import dev.tributary.learn.Learners;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.serde.AvroCodec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {
    @Test
    void aVersionContinuesTrainingExactlyWhereItsLearnerStopped() {
        for (Algorithm algorithm : Algorithm.values()) {
            ModelSpec spec =
                    ModelVersions.defaultSpec("m", algorithm, List.of("a", "b")).build();
            Learner uninterrupted = Learners.create(ModelVersions.configOf(spec));
            Learner first = Learners.create(ModelVersions.configOf(spec));
            Random random = new Random(9);
            FeatureVector x = new FeatureVector(2);
            for (int i = 0; i < 500; i++) {
                learnOne(random, x, algorithm, uninterrupted, first);
            }
            ModelVersion version = ModelVersions.versionOf(
                    "m",
                    3,
                    first.snapshot(),
                    2L,
                    List.of(),
                    "test",
                    1L,
                    first.metrics().values());
            // Through the wire, as a registry reader or the trainer's state store would see it.
            ModelVersion decoded = AvroCodec.of(ModelVersion.class)
                    .decode(AvroCodec.of(ModelVersion.class).encode(version));
            Learner resumed = ModelVersions.learnerOf(spec, decoded);
            for (int i = 0; i < 500; i++) {
                learnOne(random, x, algorithm, uninterrupted, resumed);
            }
            // Equal up to floating-point rounding of the restored state.
            uninterrupted
                    .metrics()
                    .values()
                    .forEach((name, value) -> assertThat(
                                    resumed.metrics().values().get(name))
                            .as("%s %s", algorithm, name)
                            .isCloseTo(value, within(1e-9)));
            assertThat(resumed.examplesSeen()).isEqualTo(1000);
            x.clear();
            x.add(0, 1.0);
            x.add(1, -2.0);
            assertThat(resumed.margin(x)).isCloseTo(uninterrupted.margin(x), within(1e-9));
        }
    }

    private static void learnOne(Random random, FeatureVector x, Algorithm algorithm, Learner a, Learner b) {
        double x1 = 50 + 10 * random.nextGaussian();
        double x2 = random.nextGaussian();
        double margin = 0.3 * (x1 - 50) - 2 * x2;
        double y = algorithm == Algorithm.LINEAR_REGRESSION ? margin + random.nextGaussian() : (margin > 0 ? 1 : 0);
        x.clear();
        x.add(0, x1);
        x.add(1, x2);
        a.learn(x, y);
        b.learn(x, y);
    }

    @Test
    void aSpecMapsToTheLearnerConfig() {
        ModelSpec spec = ModelVersions.defaultSpec("m", Algorithm.LINEAR_SVM, List.of("a"))
                .setL2(0.5)
                .build();
        assertThat(ModelVersions.configOf(spec).l2()).isEqualTo(0.5);
        assertThat(ModelVersions.algorithmOf(ModelVersions.taskOf(Algorithm.LINEAR_SVM)))
                .isEqualTo(Algorithm.LINEAR_SVM);
    }
}
