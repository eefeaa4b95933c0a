package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.model.ModelSpecs;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.PromotionPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SpecOptionsTest {
    /** The spec {@code models create ARGS} would create. */
    static ModelSpec spec(String... args) {
        ModelsCreateCommand command = new ModelsCreateCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return command.options.toSpec(command.name);
    }

    @Test
    void unsetHyperParametersComeFromTheLearnersDefaults() {
        ModelSpec linear = spec("m", "--algorithm", "linear", "--features", "a,b");
        assertThat(linear.getOptimizer()).isEqualTo(OptimizerKind.ADAGRAD);
        assertThat(linear.getFeatures()).containsExactly("a", "b");
        assertThat(linear.getStandardize()).isTrue();
        assertThat(linear.getPublishEvery()).isEqualTo(1000);
        assertThat(linear.getPublishIntervalMs()).isEqualTo(5000);
        assertThat(linear.getHashBits()).isZero();

        ModelSpec svm = spec("m", "--algorithm", "SVM", "--features", "a");
        assertThat(svm.getOptimizer()).isEqualTo(OptimizerKind.ADAGRAD);
        assertThat(svm.getL2()).isPositive();
    }

    @Test
    void featureNamesAreTrimmedAndAnEmptyOneIsRefused() {
        assertThat(spec("m", "--algorithm", "linear", "--features", "a, b", "--categorical", " city")
                        .getFeatures())
                .containsExactly("a", "b");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> spec("m", "--algorithm", "linear", "--features", "a,,b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--features has an empty name in 'a,,b'");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> spec("m", "--algorithm", "linear", "--features", "a,b,a"))
                .hasMessage("--features names 'a' twice");
    }

    @Test
    void givenOptionsWin() {
        ModelSpec s = spec(
                "m",
                "--algorithm",
                "logistic",
                "--features",
                "a",
                "--categorical",
                "city,os",
                "--optimizer",
                "ftrl",
                "--learning-rate",
                "0.05",
                "--l1",
                "0.001",
                "--no-standardize",
                "--publish-every",
                "10",
                "--publish-interval-ms",
                "100");
        assertThat(s.getOptimizer()).isEqualTo(OptimizerKind.FTRL);
        assertThat(s.getLearningRate()).isEqualTo(0.05);
        assertThat(s.getL1()).isEqualTo(0.001);
        assertThat(s.getStandardize()).isFalse();
        assertThat(s.getCategoricalFeatures()).containsExactly("city", "os");
        assertThat(s.getHashBits()).isEqualTo(LearnerOptions.DEFAULT_HASH_BITS);
        assertThat(s.getPublishEvery()).isEqualTo(10);
        assertThat(s.getPublishIntervalMs()).isEqualTo(100);
    }

    @Test
    void promotionIsManualUnlessAskedAndItsSettingsReachTheSpec() {
        ModelSpec manual = spec("m", "--algorithm", "logistic", "--features", "a");
        assertThat(manual.getPromotion()).isEqualTo(PromotionPolicy.MANUAL);
        assertThat(manual.getPromotionMetric()).isEmpty();
        assertThat(manual.getPromotionMargin()).isEqualTo(0.01);
        assertThat(manual.getPromotionWindow()).isEqualTo(1000);
        assertThat(SpecDescription.describe(manual)).endsWith("; manual promotion");

        ModelSpec auto = spec(
                "m",
                "--algorithm",
                "linear",
                "--features",
                "a",
                "--promotion",
                "AUTO",
                "--promotion-metric",
                "MAE",
                "--promotion-margin",
                "0.5",
                "--promotion-window",
                "200");
        assertThat(auto.getPromotion()).isEqualTo(PromotionPolicy.AUTO);
        assertThat(auto.getPromotionMetric()).isEqualTo("mae");
        assertThat(auto.getPromotionMargin()).isEqualTo(0.5);
        assertThat(auto.getPromotionWindow()).isEqualTo(200);
        assertThat(SpecDescription.describe(auto))
                .endsWith("; auto promotion on mae over the last 200 examples, margin 0.5");
    }

    @Test
    void driftSettingsReachTheSpec() {
        ModelSpec plain = spec("m", "--algorithm", "logistic", "--features", "a");
        assertThat(plain.getDrift()).isEqualTo(DriftDetection.NONE);
        assertThat(plain.getOnDrift()).isEqualTo(DriftReaction.NONE);

        ModelSpec watched = spec(
                "m",
                "--algorithm",
                "logistic",
                "--features",
                "a",
                "--drift",
                "page-hinkley",
                "--on-drift",
                "challenger");
        assertThat(watched.getDrift()).isEqualTo(DriftDetection.PAGE_HINKLEY);
        assertThat(watched.getOnDrift()).isEqualTo(DriftReaction.CHALLENGER);
        assertThat(SpecDescription.describe(watched))
                .endsWith("; drift watched by page-hinkley, a challenger trained on drift");
        assertThat(spec("m", "--algorithm", "linear", "--features", "a", "--drift", "ADWIN")
                        .getDrift())
                .isEqualTo(DriftDetection.ADWIN);
        assertThat(plain.getShadowAliases()).isEmpty();
        assertThat(spec("m", "--algorithm", "linear", "--features", "a", "--shadow", "blue,green")
                        .getShadowAliases())
                .containsExactly("blue", "green");
    }

    @Test
    void aBadDetectorOrAReactionWithoutOneIsRefused() {
        CliRun run =
                CliRun.of("models", "create", "m", "--algorithm", "logistic", "--features", "a", "--drift", "kswin");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--drift 'kswin' is not a detector: use none, adwin or page-hinkley");
        assertThatThrownBy(() -> ModelSpecs.validate(
                        spec("m", "--algorithm", "logistic", "--features", "a", "--on-drift", "challenger")))
                .hasMessageContaining("onDrift CHALLENGER reacts to a drift detector");
    }
}
