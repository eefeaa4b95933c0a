package dev.tributary.cli;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.PromotionPolicy;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How a model's new versions become champion, as options of {@code models create}. */
final class PromotionOptions {
    enum Promotion {
        manual(PromotionPolicy.MANUAL),
        auto(PromotionPolicy.AUTO);

        final PromotionPolicy policy;

        Promotion(PromotionPolicy policy) {
            this.policy = policy;
        }
    }

    @Option(
            names = "--promotion",
            paramLabel = "P",
            defaultValue = "manual",
            description = {
                "manual: champion moves only by command (default);",
                "auto: each new version that passes the gate (finite weights, bounded norm, window metric no worse than "
                        + "the champion's by more than the margin) becomes champion, the others challenger."
            })
    Promotion promotion;

    @Option(
            names = "--promotion-metric",
            paramLabel = "M",
            description =
                    "The metric the gate compares over the window: accuracy or logloss for classifiers, rmse or mae "
                            + "for regression (default: accuracy, rmse).")
    String promotionMetric;

    @Option(
            names = "--promotion-margin",
            paramLabel = "X",
            defaultValue = "0.01",
            description =
                    "How much worse than the champion's, in the metric's units, a version may be and still be promoted "
                            + "(default: ${DEFAULT-VALUE}).")
    double promotionMargin;

    @Option(
            names = "--promotion-window",
            paramLabel = "N",
            defaultValue = "1000",
            description = "The gate's metric covers the last N training examples (default: ${DEFAULT-VALUE}).")
    long promotionWindow;

    /** Sets the promotion fields of {@code spec}. */
    ModelSpec.Builder applyTo(ModelSpec.Builder spec) {
        return spec.setPromotion(promotion.policy)
                .setPromotionMetric(
                        promotionMetric == null ? "" : promotionMetric.trim().toLowerCase(Locale.ROOT))
                .setPromotionMargin(promotionMargin)
                .setPromotionWindow(promotionWindow);
    }
}
