package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerState;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.PromotionPolicy;
import dev.tributary.schema.serde.Vectors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
    private static final ModelSpec AUTO = Fixtures.spec("fraud")
            .setPromotion(PromotionPolicy.AUTO)
            .setPromotionMargin(0.02)
            .setPromotionWindow(500)
            .build();

    /** A version with these weights whose window metric (as the train function records it) is {@code window}. */
    private static ModelVersion version(ModelSpec spec, long v, double[] weights, Double window) {
        Map<String, Double> metrics = new HashMap<>();
        if (window != null) {
            metrics.put(Promotion.metricOf(spec).windowKey(), window);
            metrics.put(Promotion.WINDOW_COUNT, 500.0);
        }
        return ModelVersion.newBuilder(Fixtures.version(spec, v))
                .setWeights(Vectors.toBytes(weights))
                .setMetrics(metrics)
                .build();
    }

    @Test
    void aVersionAsGoodAsTheChampionIsAccepted() {
        ModelVersion champion = version(AUTO, 3, new double[] {1, 2}, 0.90);
        PromotionDecision d =
                PromotionGate.decide(AUTO, version(AUTO, 4, new double[] {1, 2}, 0.91), 0.91, 500, champion);
        assertThat(d.getAccepted()).isTrue();
        assertThat(d.getMetric()).isEqualTo("accuracy");
        assertThat(d.getWindowMetric()).isEqualTo(0.91);
        assertThat(d.getWindowCount()).isEqualTo(500);
        assertThat(d.getChampionVersion()).isEqualTo(3L);
        assertThat(d.getChampionWindowMetric()).isEqualTo(0.90);
        assertThat(d.getReason())
                .contains("window accuracy 0.9100 over 500 examples")
                .contains("champion version 3");
    }

    @Test
    void aVersionWorseWithinTheMarginIsAcceptedAndBeyondItRefused() {
        ModelVersion champion = version(AUTO, 3, new double[] {1, 2}, 0.90);
        ModelVersion candidate = version(AUTO, 4, new double[] {1, 2}, null);
        assertThat(PromotionGate.decide(AUTO, candidate, 0.885, 500, champion).getAccepted())
                .isTrue();
        PromotionDecision refused = PromotionGate.decide(AUTO, candidate, 0.85, 500, champion);
        assertThat(refused.getAccepted()).isFalse();
        assertThat(refused.getReason())
                .contains("worse than champion version 3's 0.9000 by 0.0500")
                .contains("more than the margin 0.0200");
    }

    @Test
    void forErrorMetricsLowerIsBetter() {
        ModelSpec regression = Fixtures.spec("prices")
                .setAlgorithm(Algorithm.LINEAR_REGRESSION)
                .setPromotion(PromotionPolicy.AUTO)
                .setPromotionMargin(0.1)
                .build();
        assertThat(Promotion.metricOf(regression)).isEqualTo(Promotion.Metric.RMSE);
        ModelVersion champion = version(regression, 1, new double[] {1, 2}, 2.0);
        ModelVersion candidate = version(regression, 2, new double[] {1, 2}, null);
        assertThat(PromotionGate.decide(regression, candidate, 1.5, 500, champion)
                        .getAccepted())
                .isTrue();
        assertThat(PromotionGate.decide(regression, candidate, 2.05, 500, champion)
                        .getAccepted())
                .isTrue();
        assertThat(PromotionGate.decide(regression, candidate, 2.2, 500, champion)
                        .getAccepted())
                .isFalse();
    }

    @Test
    void nonFiniteWeightsOrAnExplodingNormAreRefusedWhateverTheMetric() {
        ModelVersion champion = version(AUTO, 3, new double[] {1, 2}, 0.5);
        PromotionDecision nan =
                PromotionGate.decide(AUTO, version(AUTO, 4, new double[] {1, Double.NaN}, null), 0.99, 500, champion);
        assertThat(nan.getAccepted()).isFalse();
        assertThat(nan.getReason()).isEqualTo("its weight 1 is NaN");
        ModelVersion infiniteBias = ModelVersion.newBuilder(version(AUTO, 4, new double[] {1, 2}, null))
                .setBias(Double.POSITIVE_INFINITY)
                .build();
        assertThat(PromotionGate.decide(AUTO, infiniteBias, 0.99, 500, champion).getReason())
                .contains("bias is Infinity");
        PromotionDecision huge =
                PromotionGate.decide(AUTO, version(AUTO, 4, new double[] {3e6, 0}, null), 0.99, 500, champion);
        assertThat(huge.getAccepted()).isFalse();
        assertThat(huge.getReason()).contains("weight norm 3.000e+06 exceeds the bound 1.000e+06");
    }

    @Test
    void theNormBoundScalesWithTheLabelsOfARegression() {
        ModelSpec regression = Fixtures.spec("prices")
                .setAlgorithm(Algorithm.LINEAR_REGRESSION)
                .setPromotion(PromotionPolicy.AUTO)
                .build();
        ModelVersion v = version(regression, 1, new double[] {3e6, 0}, null);
        v.setOptimizerState(OptimizerState.newBuilder(v.getOptimizerState())
                .setScalars(Map.of("label.count", 10.0, "label.mean", 5000.0, "label.m2", 0.0))
                .build());
        assertThat(PromotionGate.decide(regression, v, 1.0, 10, null).getAccepted())
                .isTrue();
    }

    @Test
    void withoutAChampionOrItsWindowMetricOnlyTheWeightsAreChecked() {
        ModelVersion candidate = version(AUTO, 1, new double[] {1, 2}, null);
        PromotionDecision first = PromotionGate.decide(AUTO, candidate, 0.3, 100, null);
        assertThat(first.getAccepted()).isTrue();
        assertThat(first.getReason()).contains("no champion");
        PromotionDecision afterV0 = PromotionGate.decide(AUTO, candidate, 0.3, 100, Fixtures.version(AUTO, 0));
        assertThat(afterV0.getAccepted()).isTrue();
        assertThat(afterV0.getChampionVersion()).isEqualTo(0L);
        assertThat(afterV0.getChampionWindowMetric()).isNull();
        assertThat(afterV0.getReason()).contains("champion version 0 has no window accuracy");
    }

    @Test
    void anEmptyWindowIsRefused() {
        PromotionDecision d =
                PromotionGate.decide(AUTO, version(AUTO, 1, new double[] {1, 2}, null), Double.NaN, 0, null);
        assertThat(d.getAccepted()).isFalse();
        assertThat(d.getReason()).contains("not a usable figure");
    }

    @Test
    void theChampionsMetricComesFromItsDecisionFirst() {
        ModelVersion champion = version(AUTO, 3, new double[] {1, 2}, 0.5);
        champion.setPromotion(PromotionDecision.newBuilder()
                .setAccepted(true)
                .setReason("ok")
                .setMetric("accuracy")
                .setWindowMetric(0.95)
                .setWindowCount(500)
                .build());
        assertThat(Promotion.windowMetric(champion, Promotion.Metric.ACCURACY)).hasValue(0.95);
        assertThat(PromotionGate.decide(AUTO, version(AUTO, 4, new double[] {1, 2}, null), 0.9, 500, champion)
                        .getAccepted())
                .isFalse();
    }

    @Test
    void theMetricMustFitTheAlgorithm() {
        assertThat(Promotion.metricOf(
                        Fixtures.spec("a").setPromotionMetric("LogLoss").build()))
                .isEqualTo(Promotion.Metric.LOGLOSS);
        assertThatThrownBy(() -> Promotion.metricOf(
                        Fixtures.spec("a").setPromotionMetric("rmse").build()))
                .hasMessageContaining("promotionMetric 'rmse' does not apply to a LOGISTIC_REGRESSION model")
                .hasMessageContaining("[accuracy, logloss]");
        assertThatThrownBy(() -> Promotion.metricOf(Fixtures.spec("a")
                        .setAlgorithm(Algorithm.LINEAR_SVM)
                        .setPromotionMetric("logloss")
                        .build()))
                .hasMessageContaining("[accuracy]");
    }

    @Test
    void specsWithBadPromotionSettingsAreRefused() {
        assertThatThrownBy(() -> ModelSpecs.validate(
                        Fixtures.spec("a").setPromotionMargin(-1).build()))
                .hasMessageContaining("promotionMargin must be a finite number >= 0");
        assertThatThrownBy(() -> ModelSpecs.validate(
                        Fixtures.spec("a").setPromotionWindow(0).build()))
                .hasMessageContaining("promotionWindow must be between 1 and 100000");
        assertThatThrownBy(() -> ModelSpecs.validate(
                        Fixtures.spec("a").setPromotionMetric("r2").build()))
                .hasMessageContaining("model 'a': promotionMetric 'r2'");
        ModelSpecs.validate(AUTO);
        assertThat(List.of(Fixtures.spec("a").build().getPromotion())).containsExactly(PromotionPolicy.MANUAL);
    }
}
