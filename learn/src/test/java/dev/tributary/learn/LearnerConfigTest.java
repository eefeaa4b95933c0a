package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerConfigTest {

    private static final List<String> F = List.of("x1", "x2");

    @Test
    void defaultsNeedNoTuning() {
        LearnerConfig reg = LearnerConfig.defaults(Task.REGRESSION, F);
        assertThat(reg.optimizer()).isEqualTo(OptimizerType.ADAGRAD);
        assertThat(reg.standardize()).isTrue();
        assertThat(reg.hashBits()).isZero();
        assertThat(reg.categoricalFeatures()).isEmpty();
        assertThat(LearnerConfig.defaults(Task.LOGISTIC, F).optimizer()).isEqualTo(OptimizerType.ADAGRAD);
        LearnerConfig svm = LearnerConfig.defaults(Task.SVM, F);
        assertThat(svm.optimizer()).isEqualTo(OptimizerType.ADAGRAD);
        assertThat(svm.l2()).isPositive();
        assertThat(reg.withCategorical(List.of("c"), 4).dimension()).isEqualTo(2 + 16);
    }

    @Test
    void rejectsBadValuesWithClearMessages() {
        assertInvalid(() -> new LearnerConfig(null, OptimizerType.SGD, 0.1, 0, 0, true, F, List.of(), 0), "task");
        assertInvalid(() -> new LearnerConfig(Task.LOGISTIC, null, 0.1, 0, 0, true, F, List.of(), 0), "optimizer");
        assertInvalid(() -> base().withLearningRate(0), "learningRate");
        assertInvalid(() -> base().withLearningRate(Double.NaN), "learningRate");
        assertInvalid(() -> base().withLearningRate(Double.POSITIVE_INFINITY), "learningRate");
        assertInvalid(() -> base().withL2(-1), "l2");
        assertInvalid(() -> base().withL1(Double.NaN), "l1");
        assertInvalid(() -> base().withCategorical(List.of("c"), 25), "hashBits");
        assertInvalid(() -> base().withCategorical(List.of("c"), -1), "hashBits");
        assertInvalid(() -> base().withOptimizer(OptimizerType.PEGASOS), "PEGASOS is only for task SVM");
        assertInvalid(
                () -> LearnerConfig.defaults(Task.SVM, F)
                        .withOptimizer(OptimizerType.PEGASOS)
                        .withL2(0),
                "PEGASOS needs l2 > 0");
        assertInvalid(() -> base().withOptimizer(OptimizerType.SGD).withL1(0.1), "l1 is supported by ADAGRAD and FTRL");
        assertInvalid(() -> LearnerConfig.defaults(Task.LOGISTIC, List.of("a", "a")), "'a' twice");
        assertInvalid(() -> LearnerConfig.defaults(Task.LOGISTIC, Arrays.asList("a", null)), "null or blank");
        assertInvalid(() -> LearnerConfig.defaults(Task.LOGISTIC, null), "numericFeatures is required");
    }

    @Test
    void featureListsAreCopied() {
        java.util.ArrayList<String> names = new java.util.ArrayList<>(F);
        LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, names);
        names.add("x3");
        assertThat(config.numericFeatures()).containsExactly("x1", "x2");
        assertThat(new LearnerConfig(Task.LOGISTIC, OptimizerType.FTRL, 0.1, 0, 1, false, F, null, 0)
                        .categoricalFeatures())
                .isEmpty();
    }

    private static LearnerConfig base() {
        return LearnerConfig.defaults(Task.LOGISTIC, F);
    }

    private static void assertInvalid(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
