package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.OptimizerType;
import dev.tributary.learn.Task;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LearnerOptionsTest {
    private static LearnerOptions parse(String... args) {
        LearnerOptions options = new LearnerOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void withoutOptionsTheLearnersOwnDefaults() {
        LearnerConfig config = parse().config(AlgorithmName.svm, List.of("a"), List.of(), null);
        assertThat(config)
                .isEqualTo(LearnerConfig.defaults(Task.SVM, List.of("a")))
                .extracting(LearnerConfig::hashBits)
                .isEqualTo(0);
    }

    @Test
    void everyOptionGivenOverridesItsDefault() {
        LearnerConfig config = parse(
                        "--optimizer",
                        "ftrl",
                        "--learning-rate",
                        "0.3",
                        "--l2",
                        "0.01",
                        "--l1",
                        "0.02",
                        "--no-standardize")
                .config(AlgorithmName.logistic, List.of("a"), List.of("city"), null);
        assertThat(config.optimizer()).isEqualTo(OptimizerType.FTRL);
        assertThat(config.learningRate()).isEqualTo(0.3);
        assertThat(config.l2()).isEqualTo(0.01);
        assertThat(config.l1()).isEqualTo(0.02);
        assertThat(config.standardize()).isFalse();
        assertThat(config.categoricalFeatures()).containsExactly("city");
        assertThat(config.hashBits()).isEqualTo(LearnerOptions.DEFAULT_HASH_BITS);
    }

    @Test
    void hashBitsGivenAreKept() {
        assertThat(parse().config(AlgorithmName.linear, List.of("a"), List.of("city"), 4)
                        .hashBits())
                .isEqualTo(4);
    }
}
