package dev.tributary.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.OptimizerType;
import dev.tributary.learn.RunningPrior;
import dev.tributary.learn.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On long drifting streams ({@link DriftingStream}, 600,000 events here; docs/learning.md has the
 * 3,000,000-event figures) the default learner's progressive log loss is at least as good as SGD's
 * and FTRL's at their own defaults, and well below the running prior's.
 */
class LongStreamTest {

    private static final int ROWS = 600_000;

    private static double logLoss(DriftingStream stream, LearnerConfig config) {
        Learner learner = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        stream.replay((values, categories, y) -> {
            featurizer.fillRow(values, categories, x);
            learner.learn(x, y);
        });
        return learner.metrics().values().get("logloss");
    }

    @ParameterizedTest
    @EnumSource(DriftingStream.Kind.class)
    void theDefaultIsAtLeastAsGoodAsEveryOtherOptimizerAtItsDefaults(DriftingStream.Kind kind) {
        DriftingStream stream = new DriftingStream(kind, ROWS, 11);
        LearnerConfig defaults =
                LearnerConfig.defaults(Task.LOGISTIC, stream.features()).withCategorical(stream.categorical(), 10);
        double ours = logLoss(stream, defaults);
        double sgd = logLoss(stream, defaults.withOptimizer(OptimizerType.SGD));
        double ftrl = logLoss(stream, defaults.withOptimizer(OptimizerType.FTRL));
        double prior = learnerPrior(stream);
        System.out.printf(
                "%s, %d events: default %.4f, sgd %.4f, ftrl %.4f, running prior %.4f%n",
                kind, ROWS, ours, sgd, ftrl, prior);
        assertThat(ours).as("default vs sgd").isLessThanOrEqualTo(sgd);
        assertThat(ours).as("default vs ftrl").isLessThanOrEqualTo(ftrl);
        assertThat(ours).as("default vs the running prior").isLessThan(prior - 0.02);
    }

    private static double learnerPrior(DriftingStream stream) {
        RunningPrior prior = new RunningPrior(RunningPrior.WINDOW);
        double[] sum = {0};
        stream.replay((values, categories, y) -> {
            sum[0] += prior.logLoss(y);
            prior.add(y);
        });
        return sum[0] / stream.rows();
    }
}
