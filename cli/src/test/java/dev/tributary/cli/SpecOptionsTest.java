package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.OptimizerKind;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class SpecOptionsTest {
  private static ModelSpec spec(String... args) {
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
  void givenOptionsWin() {
    ModelSpec s = spec("m", "--algorithm", "logistic", "--features", "a", "--categorical", "city,os",
        "--optimizer", "ftrl", "--learning-rate", "0.05", "--l1", "0.001", "--no-standardize", "--publish-every", "10",
        "--publish-interval-ms", "100");
    assertThat(s.getOptimizer()).isEqualTo(OptimizerKind.FTRL);
    assertThat(s.getLearningRate()).isEqualTo(0.05);
    assertThat(s.getL1()).isEqualTo(0.001);
    assertThat(s.getStandardize()).isFalse();
    assertThat(s.getCategoricalFeatures()).containsExactly("city", "os");
    assertThat(s.getHashBits()).isEqualTo(SpecOptions.DEFAULT_HASH_BITS);
    assertThat(s.getPublishEvery()).isEqualTo(10);
    assertThat(s.getPublishIntervalMs()).isEqualTo(100);
  }
}
