package dev.tributary.cli;

import dev.tributary.model.Promotion;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.PromotionPolicy;

/** A model spec in one line, for the confirmations the CLI prints. */
final class SpecDescription {
    private SpecDescription() {}

    /** One line describing a spec, for confirmations. */
    static String describe(ModelSpec s) {
        StringBuilder d = new StringBuilder();
        d.append(s.getAlgorithm()).append(", features ").append(String.join(",", s.getFeatures()));
        if (!s.getCategoricalFeatures().isEmpty()) {
            d.append(", categorical ")
                    .append(String.join(",", s.getCategoricalFeatures()))
                    .append(" in 2^")
                    .append(s.getHashBits())
                    .append(" buckets");
        }
        d.append("; ")
                .append(s.getOptimizer().name().toLowerCase())
                .append(", learning rate ")
                .append(s.getLearningRate())
                .append(", l2 ")
                .append(s.getL2())
                .append(", l1 ")
                .append(s.getL1())
                .append(s.getStandardize() ? ", standardized" : ", not standardized")
                .append("; a version every ")
                .append(s.getPublishEvery())
                .append(" examples or ")
                .append(s.getPublishIntervalMs())
                .append(" ms");
        if (s.getPromotion() == PromotionPolicy.AUTO) {
            String metric = s.getPromotionMetric().isEmpty()
                    ? Promotion.Metric.defaultFor(s.getAlgorithm()).key()
                    : s.getPromotionMetric();
            d.append("; auto promotion on ")
                    .append(metric)
                    .append(" over the last ")
                    .append(s.getPromotionWindow())
                    .append(" examples, margin ")
                    .append(s.getPromotionMargin());
        } else {
            d.append("; manual promotion");
        }
        if (s.getLabelWaitMs() > 0) {
            d.append("; labels awaited ")
                    .append(s.getLabelWaitMs())
                    .append(" ms")
                    .append(s.getDefaultLabel() == null ? ", then dropped" : ", then " + s.getDefaultLabel());
        }
        if (!s.getShadowAliases().isEmpty()) {
            d.append("; shadows ").append(String.join(",", s.getShadowAliases()));
        }
        if (s.getDrift() != DriftDetection.NONE) {
            d.append("; drift watched by ")
                    .append(s.getDrift().name().toLowerCase().replace('_', '-'))
                    .append(s.getOnDrift() == DriftReaction.CHALLENGER ? ", a challenger trained on drift" : "");
        }
        return d.toString();
    }
}
