package dev.tributary.learn.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.LearnerState;
import dev.tributary.learn.Learners;
import dev.tributary.learn.Task;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WarmStartTest {
    @Test
    void keepsTheScalerAndLabelStatisticsAndForgetsTheRest() {
        LearnerConfig config = LearnerConfig.defaults(Task.REGRESSION, List.of("a", "b"));
        Learner model = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            double a = 100 + 10 * random.nextGaussian();
            double b = random.nextGaussian();
            featurizer.fill(Map.of("a", a, "b", b), Map.of(), x);
            model.learn(x, 3 * b + 50);
        }
        LearnerState before = model.snapshot();
        LearnerState fresh = WarmStart.from(before).snapshot();
        assertThat(fresh.scalerMean()).containsExactly(before.scalerMean());
        assertThat(fresh.scalerM2()).containsExactly(before.scalerM2());
        assertThat(fresh.scalerCount()).isEqualTo(500);
        assertThat(fresh.weights()).containsOnly(0.0).hasSize(before.weights().length);
        assertThat(fresh.bias()).isZero();
        assertThat(fresh.examplesSeen()).isZero();
        assertThat(fresh.metricState()).containsEntry("count", 0.0);
        assertThat(fresh.optimizerScalars())
                .containsEntry("label.count", 500.0)
                .containsEntry("label.mean", before.optimizerScalars().get("label.mean"))
                .allSatisfy((k, v) ->
                        assertThat(k.startsWith("label.") || v == 0.0).as(k).isTrue());
        assertThat(fresh.optimizerVectors()).allSatisfy((k, v) -> assertThat(v).containsOnly(0.0));
        assertThat(model.snapshot()).isEqualTo(before); // the model itself is untouched
    }
}
