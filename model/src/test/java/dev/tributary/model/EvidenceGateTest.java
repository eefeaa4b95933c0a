package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.PromotionPolicy;
import org.junit.jupiter.api.Test;

class EvidenceGateTest {
    private static final ModelSpec AUTO = Fixtures.spec("m")
            .setPromotion(PromotionPolicy.AUTO)
            .setPromotionWindow(100)
            .setPromotionMargin(0.05)
            .build();

    /** n events where the challenger is right {@code a} of the time and the champion {@code b} (exact shares). */
    private static Comparison comparison(int n, double a, double b) {
        Comparison c = new Comparison(Promotion.Metric.ACCURACY, 100);
        for (int i = 0; i < n; i++) {
            int shadow = i % 100 < a * 100 ? 1 : 0;
            int serving = i % 100 < b * 100 ? 1 : 0;
            c.add(shadow, shadow, serving, serving, 1);
        }
        return c;
    }

    @Test
    void promotesAChallengerThatBeatsTheChampionByTheMarginOverAWholeWindow() {
        PromotionDecision d = EvidenceGate.decide(AUTO, comparison(100, 0.9, 0.8), 4);
        assertThat(d).isNotNull();
        assertThat(d.getAccepted()).isTrue();
        assertThat(d.getMetric()).isEqualTo("accuracy");
        assertThat(d.getWindowMetric()).isEqualTo(0.9);
        assertThat(d.getWindowCount()).isEqualTo(100);
        assertThat(d.getChampionVersion()).isEqualTo(4);
        assertThat(d.getChampionWindowMetric()).isEqualTo(0.8);
        assertThat(d.getReason())
                .startsWith("beat champion version 4 on the same 100 labelled events")
                .contains("accuracy 0.9000 vs 0.8000");
    }

    @Test
    void waitsForTheEvidence() {
        assertThat(EvidenceGate.decide(AUTO, comparison(99, 0.9, 0.8), 4))
                .as("too few events")
                .isNull();
        assertThat(EvidenceGate.decide(AUTO, comparison(100, 0.84, 0.8), 4))
                .as("within the margin")
                .isNull();
        assertThat(EvidenceGate.decide(AUTO, comparison(100, 0.7, 0.8), 4))
                .as("worse")
                .isNull();
        ModelSpec manual = Fixtures.spec("m")
                .setPromotionWindow(100)
                .setPromotionMargin(0.05)
                .build();
        assertThat(EvidenceGate.decide(manual, comparison(100, 0.9, 0.8), 4))
                .as("manual promotion")
                .isNull();
    }
}
