package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.Scaler;
import dev.tributary.schema.serde.Vectors;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model version as JSON for people: weights by feature name (hashed buckets as {@code hash[i]},
 * only the non-zero ones), the scaler's mean and std per feature, metrics and lineage.
 */
final class VersionJson {
    private VersionJson() {}

    static ObjectNode render(ModelVersion v) {
        ObjectNode json = Json.object();
        json.put("model", v.getModel());
        json.put("version", v.getVersion());
        json.put("algorithm", v.getAlgorithm().name());
        json.set("weights", weights(v));
        json.put("bias", v.getBias());
        json.set("scaler", scaler(v));
        json.put("examplesSeen", v.getExamplesSeen());
        json.put("updatesRejected", v.getUpdatesRejected());
        ObjectNode metrics = json.putObject("metrics");
        new TreeMap<>(v.getMetrics()).forEach(metrics::put);
        ObjectNode hyper = json.putObject("hyperParameters");
        new TreeMap<>(v.getHyperParameters()).forEach(hyper::put);
        if (!v.getCategoricalFeatures().isEmpty()) {
            ArrayNode categorical = json.putArray("categoricalFeatures");
            v.getCategoricalFeatures().forEach(categorical::add);
            json.put("hashBits", v.getHashBits());
        }
        if (v.getParentVersion() == null) {
            json.putNull("parentVersion");
        } else {
            json.put("parentVersion", v.getParentVersion());
        }
        ArrayNode offsets = json.putArray("sourceOffsets");
        for (OffsetRange r : v.getSourceOffsets()) {
            ObjectNode range = offsets.addObject();
            range.put("topic", r.getTopic());
            range.put("partition", r.getPartition());
            range.put("fromOffset", r.getFromOffset());
            range.put("toOffset", r.getToOffset());
        }
        json.put("producedBy", v.getProducedBy());
        json.put("createdAt", Instant.ofEpochMilli(v.getCreatedAt()).toString());
        json.set("promotion", promotion(v.getPromotion()));
        return json;
    }

    /** The promotion gate's decision, or null for a version no gate saw. */
    static ObjectNode promotion(PromotionDecision d) {
        if (d == null) {
            return null;
        }
        ObjectNode json = Json.object();
        json.put("accepted", d.getAccepted());
        json.put("reason", d.getReason());
        json.put("metric", d.getMetric());
        putNumber(json, "windowMetric", d.getWindowMetric());
        json.put("windowCount", d.getWindowCount());
        if (d.getChampionVersion() == null) {
            json.putNull("championVersion");
        } else {
            json.put("championVersion", d.getChampionVersion());
        }
        putNumber(json, "championWindowMetric", d.getChampionWindowMetric());
        return json;
    }

    /** A number, or null when it is missing or not finite (JSON has no NaN). */
    private static void putNumber(ObjectNode json, String name, Double value) {
        if (value == null || !Double.isFinite(value)) {
            json.putNull(name);
        } else {
            json.put(name, value);
        }
    }

    private static ObjectNode weights(ModelVersion v) {
        double[] w = Vectors.fromBytes(v.getWeights());
        List<String> names = v.getFeatureNames();
        ObjectNode json = Json.object();
        for (int i = 0; i < w.length; i++) {
            if (i < names.size()) {
                json.put(names.get(i), w[i]);
            } else if (w[i] != 0.0) {
                json.put("hash[" + (i - names.size()) + "]", w[i]);
            }
        }
        return json;
    }

    private static ObjectNode scaler(ModelVersion v) {
        Scaler s = v.getScaler();
        if (s == null) {
            return null;
        }
        double[] mean = Vectors.fromBytes(s.getMean());
        double[] m2 = Vectors.fromBytes(s.getM2());
        ObjectNode json = Json.object();
        json.put("count", s.getCount());
        ObjectNode features = json.putObject("features");
        List<String> names = v.getFeatureNames();
        for (int i = 0; i < Math.min(names.size(), mean.length); i++) {
            ObjectNode f = features.putObject(names.get(i));
            f.put("mean", mean[i]);
            f.put("std", s.getCount() > 0 && i < m2.length ? Math.sqrt(m2[i] / s.getCount()) : 0.0);
        }
        return json;
    }

    /** The metric that sums a model up: R² for regression, accuracy for classifiers; null if none yet. */
    static Map.Entry<String, Double> headline(ModelVersion v) {
        String name = v.getAlgorithm() == dev.tributary.schema.Algorithm.LINEAR_REGRESSION ? "r2" : "accuracy";
        Double value = v.getMetrics().get(name);
        return value == null || v.getExamplesSeen() == 0 ? null : Map.entry(name, value);
    }
}
