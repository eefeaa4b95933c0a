package dev.tributary.model;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.PromotionDecision;
import java.util.Locale;

/**
 * Promotion by evidence: a challenger that beats the champion on the same labelled events. For a
 * model with {@code AUTO} promotion, the challenger version becomes champion once its {@link
 * Comparison} with the champion covers {@code promotionWindow} events and its metric there beats
 * the champion's by more than {@code promotionMargin}. The decision, with its figures, is recorded on
 * the version as the {@link PromotionGate}'s are.
 *
 * <pre>{@code
 * PromotionDecision d = EvidenceGate.decide(spec, comparison, championVersion);
 * if (d != null) { ... publish the version with d and point champion at it ... }
 * }</pre>
 */
public final class EvidenceGate {
    private EvidenceGate() {}

    /** The accepting decision, or null while the evidence is not there (too few events, or not better enough). */
    public static PromotionDecision decide(ModelSpec spec, Comparison c, long championVersion) {
        if (!Promotion.isAuto(spec) || c.size() < Promotion.windowOf(spec)) {
            return null;
        }
        double margin = spec.getPromotionMargin();
        double challenger = c.shadowMetric();
        double champion = c.servingMetric();
        boolean better = c.metric().higherIsBetter() ? challenger > champion + margin : challenger < champion - margin;
        if (!better) {
            return null;
        }
        String reason = String.format(
                Locale.ROOT,
                "beat champion version %d on the same %d labelled events by more than "
                        + "the margin %s: %s %.4f vs %.4f (difference %+.4f, 95%% interval [%+.4f, %+.4f])",
                championVersion,
                c.size(),
                margin,
                c.metric().key(),
                challenger,
                champion,
                c.difference(),
                c.ciLow(),
                c.ciHigh());
        return new PromotionDecision(
                true, reason, c.metric().key(), challenger, (long) c.size(), championVersion, champion);
    }
}
