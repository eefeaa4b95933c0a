package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The default optimizer's forgetting accumulators, and how state saved without them restores. */
class AdaGradTest {

    private static final List<String> X = List.of("x");

    @Test
    void keepsFollowingAConceptThatFlipsLateInALongStream() {
        // y = 1 with probability σ(±2x), the sign flipping every 200,000 events. After a million events
        // plain AdaGrad's steps are ~1/sqrt(t): over the 5,000 events after the last flip it agrees with
        // the true classes 67 % of the time. Accumulators that hold ~HORIZON updates keep it quick (89 %).
        Learner learner = Learners.create(LearnerConfig.defaults(Task.LOGISTIC, X));
        SplittableRandom random = new SplittableRandom(3);
        FeatureVector v = new FeatureVector(1);
        long right = 0;
        for (int i = 0; i < 1_005_000; i++) {
            double x = random.nextGaussian();
            double sign = (i / 200_000) % 2 == 0 ? 1 : -1;
            double y = random.nextDouble() < 1 / (1 + Math.exp(-2 * sign * x)) ? 1 : 0;
            v.clear();
            v.add(0, x);
            if (i >= 1_000_000 && (learner.margin(v) >= 0) == (sign * x >= 0)) {
                right++;
            }
            learner.learn(v, y);
        }
        assertThat(right / 5_000.0)
                .as("agreement with the true classes after the last flip")
                .isGreaterThan(0.8);
    }

    @Test
    void denseStepsWithoutL1MatchTheGeneralLoop() {
        // An L1 of the smallest double shrinks nothing (rate·l1 is 0) but makes every weight take the general loop.
        List<String> names = List.of("a", "b", "c", "d", "e");
        LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, names);
        Learner dense = Learners.create(config);
        Learner general = Learners.create(config.withL1(Double.MIN_VALUE));
        SplittableRandom random = new SplittableRandom(11);
        FeatureVector v = new FeatureVector(names.size());
        for (int i = 0; i < 2_000; i++) {
            v.clear();
            double margin = 0;
            for (int k = 0; k < names.size(); k++) {
                double x = random.nextGaussian();
                v.add(k, x);
                margin += (k - 2) * x;
            }
            double y = margin >= 0 ? 1 : 0;
            dense.learn(v, y);
            general.learn(v, y);
        }
        double[] denseWeights = dense.snapshot().weights();
        double[] generalWeights = general.snapshot().weights();
        for (int k = 0; k < names.size(); k++) {
            assertThat(denseWeights[k] + 0.0).as("weight %s", k).isEqualTo(generalWeights[k] + 0.0);
        }
        assertThat(dense.snapshot().bias()).isEqualTo(general.snapshot().bias());
    }

    @Test
    void stateSavedWithoutTheDiscountedCountRestoresAndContinues() {
        LearnerConfig config = LearnerConfig.defaults(Task.REGRESSION, X);
        Learner learner = Learners.create(config);
        FeatureVector v = new FeatureVector(1);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            double x = random.nextGaussian();
            v.clear();
            v.add(0, x);
            learner.learn(v, 300 * x + 7 + random.nextGaussian());
        }
        LearnerState saved = learner.snapshot();
        Map<String, Double> older = new HashMap<>(saved.optimizerScalars());
        older.remove("biasCount"); // what a version written before the discount holds
        LearnerState old = new LearnerState(
                saved.config(),
                saved.weights(),
                saved.bias(),
                saved.scalerMean(),
                saved.scalerM2(),
                saved.scalerCount(),
                saved.optimizerVectors(),
                older,
                saved.examplesSeen(),
                saved.updatesRejected(),
                saved.metricState());
        Learner restored = Learners.restore(old);
        v.clear();
        v.add(0, 0.5);
        restored.learn(v, 157);
        // Its plain sums are taken as 2,000 updates' worth, so the residual unit is unchanged: no jump.
        assertThat(restored.snapshot().optimizerScalars().get("biasCount"))
                .isCloseTo(2_000 * AdaGrad.KEEP + 1, within(1e-6));
        assertThat(restored.output(restored.margin(v))).isCloseTo(157, within(5.0));
    }
}
