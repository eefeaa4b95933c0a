package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.serde.Vectors;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Spec validation, version 0 and model references: no broker needed. */
class ModelSpecValidationTest {

    private static void refused(UnaryOperator<ModelSpec.Builder> change, String message) {
        ModelSpec spec = change.apply(Fixtures.spec("m")).build();
        assertThatThrownBy(() -> ModelSpecs.validate(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void acceptsAGoodSpec() {
        assertThatCode(() -> ModelSpecs.validate(Fixtures.spec("fraud-v2.1").build()))
                .doesNotThrowAnyException();
        assertThatCode(() -> ModelSpecs.validate(Fixtures.spec("cats")
                        .setFeatures(List.of())
                        .setCategoricalFeatures(List.of("country"))
                        .setHashBits(8)
                        .build()))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesBadSpecsWithClearMessages() {
        refused(b -> b.setName("no spaces"), "model name 'no spaces' is invalid");
        refused(b -> b.setName("a/b"), "model name 'a/b' is invalid");
        refused(b -> b.setFeatures(List.of()), "no usable features");
        refused(
                b -> b.setFeatures(List.of()).setCategoricalFeatures(List.of("country")),
                "no usable features: declare at least one numeric feature, or categorical features with hashBits > 0");
        refused(b -> b.setCategoricalFeatures(List.of("country")), "are declared but hashBits is 0");
        refused(b -> b.setFeatures(List.of("x", "y", "x")), "feature 'x' is declared more than once");
        refused(
                b -> b.setCategoricalFeatures(List.of("x", "amount")).setHashBits(4),
                "feature 'amount' is declared more than once");
        refused(b -> b.setFeatures(List.of("x", " ")), "a feature name is empty");
        refused(b -> b.setPublishEvery(0), "publishEvery must be > 0");
        refused(b -> b.setPublishIntervalMs(-5), "publishIntervalMs must be > 0");
        refused(b -> b.setLearningRate(0), "learningRate must be a finite number > 0");
        refused(b -> b.setLearningRate(Double.NaN), "learningRate must be a finite number > 0");
        refused(b -> b.setL2(-1), "l2 must be a finite number >= 0");
        refused(b -> b.setL1(Double.POSITIVE_INFINITY), "l1 must be a finite number >= 0");
        refused(b -> b.setHashBits(31).setCategoricalFeatures(List.of("c")), "hashBits must be between 0 and 24");
    }

    @Test
    void refusesModelsTooLargeForARegistryRecord() {
        refused(
                b -> b.setCategoricalFeatures(List.of("c")).setHashBits(22).setOptimizer(OptimizerKind.SGD),
                "over the registry's limit of 33,554,432 bytes per record");
        // AdaGrad carries one more vector per weight: 2^21 buckets no longer fit, 2^20 do.
        refused(b -> b.setCategoricalFeatures(List.of("c")).setHashBits(21), "lower hashBits from 21 to 20 or less");
        assertThatCode(() -> ModelSpecs.validate(Fixtures.spec("m")
                        .setCategoricalFeatures(List.of("c"))
                        .setHashBits(20)
                        .build()))
                .doesNotThrowAnyException();
    }

    @Test
    void versionZeroIsAllZeros() {
        ModelSpec spec = Fixtures.spec("m")
                .setCategoricalFeatures(List.of("country"))
                .setHashBits(4)
                .setOptimizer(OptimizerKind.FTRL)
                .build();
        ModelVersion v0 = ModelSpecs.initialVersion(spec, 123L);
        assertThat(v0.getVersion()).isZero();
        assertThat(v0.getModel()).isEqualTo("m");
        assertThat(v0.getAlgorithm()).isEqualTo(spec.getAlgorithm());
        assertThat(v0.getFeatureNames()).containsExactly("amount", "age");
        assertThat(v0.getCategoricalFeatures()).containsExactly("country");
        assertThat(v0.getHashBits()).isEqualTo(4);
        assertThat(Vectors.fromBytes(v0.getWeights())).hasSize(2 + 16).containsOnly(0.0);
        assertThat(v0.getBias()).isZero();
        assertThat(Vectors.fromBytes(v0.getScaler().getMean())).hasSize(2).containsOnly(0.0);
        assertThat(Vectors.fromBytes(v0.getScaler().getM2())).hasSize(2).containsOnly(0.0);
        assertThat(v0.getScaler().getCount()).isZero();
        assertThat(v0.getOptimizerState().getKind()).isEqualTo(OptimizerKind.FTRL);
        assertThat(v0.getOptimizerState().getVectors()).isEmpty();
        assertThat(v0.getOptimizerState().getScalars()).isEmpty();
        assertThat(v0.getExamplesSeen()).isZero();
        assertThat(v0.getMetrics()).isEmpty();
        assertThat(v0.getParentVersion()).isNull();
        assertThat(v0.getProducedBy()).isEqualTo("registry");
        assertThat(v0.getHyperParameters())
                .containsEntry("learningRate", 0.1)
                .containsEntry("l2", 0.001)
                .containsEntry("l1", 0.0);
        assertThat(v0.getCreatedAt()).isEqualTo(123L);

        ModelVersion plain = ModelSpecs.initialVersion(
                Fixtures.spec("p").setStandardize(false).build(), 1L);
        assertThat(plain.getScaler()).isNull();
        assertThat(Vectors.fromBytes(plain.getWeights())).hasSize(2);
    }

    @Test
    void appliesTheLearnersOwnRules() {
        assertThatThrownBy(() -> ModelSpecs.validate(
                        Fixtures.spec("m").setOptimizer(OptimizerKind.PEGASOS).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'm': optimizer PEGASOS is only for task SVM, not LOGISTIC");
        assertThatThrownBy(() -> ModelSpecs.validate(Fixtures.spec("m")
                        .setOptimizer(OptimizerKind.SGD)
                        .setL1(0.1)
                        .build()))
                .hasMessage("model 'm': l1 is supported by ADAGRAD and FTRL, not by SGD");
        assertThatThrownBy(() -> ModelSpecs.validate(Fixtures.spec("m")
                        .setCategoricalFeatures(List.of("c"))
                        .setHashBits(25)
                        .build()))
                .hasMessageContaining("hashBits must be between 0 and 24");
    }

    @Test
    void checksTheLabelWait() {
        assertThatCode(() -> ModelSpecs.validate(Fixtures.spec("m")
                        .setLabelWaitMs(60_000)
                        .setDefaultLabel(0.0)
                        .build()))
                .doesNotThrowAnyException();
        refused(b -> b.setLabelWaitMs(-1), "labelWaitMs must be between 0 (no wait) and");
        refused(b -> b.setDefaultLabel(0.0), "a defaultLabel applies when a label wait expires; set labelWaitMs too");
        refused(
                b -> b.setLabelWaitMs(1000).setDefaultLabel(2.0),
                "defaultLabel of a classifier must be 0 or 1, not 2.0");
        refused(b -> b.setLabelWaitMs(1000).setDefaultLabel(Double.NaN), "defaultLabel must be a finite number");
    }

    @Test
    void checksTheDriftSettings() {
        assertThat(Fixtures.spec("m").build().getDrift()).isEqualTo(DriftDetection.NONE);
        assertThat(Fixtures.spec("m").build().getOnDrift()).isEqualTo(DriftReaction.NONE);
        assertThatCode(() -> ModelSpecs.validate(Fixtures.spec("m")
                        .setDrift(DriftDetection.PAGE_HINKLEY)
                        .setOnDrift(DriftReaction.CHALLENGER)
                        .build()))
                .doesNotThrowAnyException();
        refused(
                b -> b.setOnDrift(DriftReaction.CHALLENGER),
                "onDrift CHALLENGER reacts to a drift detector; choose one with drift ADWIN or PAGE_HINKLEY");
        ModelSpec noDetector = Fixtures.spec("m").build();
        noDetector.setDrift(null);
        assertThatThrownBy(() -> ModelSpecs.validate(noDetector)).hasMessageContaining("drift is missing");
    }

    @Test
    void checksTheShadowAliases() {
        assertThat(Fixtures.spec("m").build().getShadowAliases()).isEmpty();
        assertThatCode(() -> ModelSpecs.validate(Fixtures.spec("m")
                        .setShadowAliases(List.of("blue", "green"))
                        .build()))
                .doesNotThrowAnyException();
        refused(b -> b.setShadowAliases(List.of("champion")), "shadow alias 'champion' is invalid");
        refused(b -> b.setShadowAliases(List.of("a b")), "shadow alias 'a b' is invalid");
        refused(
                b -> b.setShadowAliases(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")),
                "at most 8 shadow aliases");
    }
}
