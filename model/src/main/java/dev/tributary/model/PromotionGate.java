package dev.tributary.model;

import dev.tributary.learn.Learners;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerState;
import dev.tributary.schema.PromotionDecision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Decides whether a new version of a model with {@code AUTO} promotion becomes its champion. A
 * version passes when, in this order:
 *
 * <ol>
 *   <li>its weights and bias are all finite;</li>
 *   <li>its weight norm is at most {@value #NORM_BOUND} × max(1, RMS of the labels it has seen) —
 *       the bound the learners' own guard keeps, so only a version that did not come from a
 *       guarded learner can fail here;</li>
 *   <li>its window metric (the promotion metric over its last {@code promotionWindow} examples)
 *       is finite;</li>
 *   <li>and that metric is no worse than the current champion's window metric (as recorded on the
 *       champion's version) by more than {@code promotionMargin}, in the metric's own units. A
 *       champion without a window metric (version 0, a version published by hand) is not compared
 *       against.</li>
 * </ol>
 *
 * Pure: no Kafka, no clock. The decision says why in one sentence.
 */
public final class PromotionGate {
    /** The weight-norm bound, times max(1, RMS of the labels): the learners' own guard. */
    public static final double NORM_BOUND = Learners.WEIGHT_NORM_BOUND;

    private PromotionGate() {}

    /**
     * @param spec the model's spec (its metric and margin)
     * @param candidate the version about to be published
     * @param windowMetric the candidate's window metric
     * @param windowCount examples in the candidate's window
     * @param champion the version {@code champion} points at now, or null if none
     */
    public static PromotionDecision decide(
            ModelSpec spec, ModelVersion candidate, double windowMetric, long windowCount, ModelVersion champion) {
        Promotion.Metric metric = Promotion.metricOrDefault(spec);
        PromotionDecision.Builder d = PromotionDecision.newBuilder()
                .setMetric(metric.key())
                .setWindowMetric(windowMetric)
                .setWindowCount(windowCount)
                .setChampionVersion(champion == null ? null : champion.getVersion())
                .setChampionWindowMetric(null);

        String weights = checkWeights(candidate);
        if (weights != null) {
            return d.setAccepted(false).setReason(weights).build();
        }
        String window = String.format(
                Locale.ROOT, "window %s %s over %,d examples", metric.key(), fmt(windowMetric), windowCount);
        if (windowCount <= 0 || !Double.isFinite(windowMetric)) {
            return d.setAccepted(false)
                    .setReason(window + " is not a usable figure")
                    .build();
        }
        if (champion == null) {
            return d.setAccepted(true)
                    .setReason(window + "; there is no champion to compare with")
                    .build();
        }
        OptionalDouble championMetric = Promotion.windowMetric(champion, metric);
        if (championMetric.isEmpty()) {
            return d.setAccepted(true)
                    .setReason(window + "; champion version " + champion.getVersion() + " has no window " + metric.key()
                            + " to compare with")
                    .build();
        }
        double c = championMetric.getAsDouble();
        d.setChampionWindowMetric(c);
        double margin = Double.isFinite(spec.getPromotionMargin()) ? Math.max(0, spec.getPromotionMargin()) : 0.0;
        double worseBy = metric.higherIsBetter() ? c - windowMetric : windowMetric - c;
        String versus = " champion version " + champion.getVersion() + "'s " + fmt(c);
        if (worseBy > margin) {
            return d.setAccepted(false)
                    .setReason(window + " is worse than" + versus + " by " + fmt(worseBy) + ", more than the margin "
                            + fmt(margin))
                    .build();
        }
        String how = worseBy <= 0 ? " is at least as good as" : " is within the margin " + fmt(margin) + " of";
        return d.setAccepted(true).setReason(window + how + versus).build();
    }

    /** Why the candidate's weights are unusable, or null if they are fine. */
    static String checkWeights(ModelVersion v) {
        if (!Double.isFinite(v.getBias())) {
            return "its bias is " + v.getBias();
        }
        ByteBuffer w = v.getWeights().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        double normSq = 0;
        int i = 0;
        while (w.remaining() >= Double.BYTES) {
            double x = w.getDouble();
            if (!Double.isFinite(x)) {
                return "its weight " + i + " is " + x;
            }
            normSq += x * x;
            i++;
        }
        double bound = NORM_BOUND * Math.max(1.0, labelRms(v));
        double norm = Math.sqrt(normSq);
        if (!(norm <= bound)) {
            return "its weight norm " + fmt(norm) + " exceeds the bound " + fmt(bound);
        }
        return null;
    }

    /** RMS of the labels a regression learner has seen (kept in its optimizer scalars), else 0. */
    static double labelRms(ModelVersion v) {
        OptimizerState state = v.getOptimizerState();
        return Learners.labelRms(state == null ? Map.of() : state.getScalars());
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e6 || a < 1e-3)
                ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
