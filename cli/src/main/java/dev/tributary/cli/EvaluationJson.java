package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.learn.LearnerConfig;
import java.nio.file.Path;
import java.util.Map;

/** An evaluation's result as one JSON object: the run, the learner, and every figure and curve. */
final class EvaluationJson {
    private EvaluationJson() {}

    /** Every figure of {@code r}, for {@code evaluate --format json}. */
    static ObjectNode of(EvaluationResult r, Path csv, String label, AlgorithmName algorithm) {
        LearnerConfig c = r.config();
        ObjectNode o = Json.object();
        o.put("file", csv.toString());
        o.put("rows", r.rows());
        o.put("label", label);
        o.put("algorithm", algorithm.name());
        ArrayNode f = o.putArray("features");
        c.numericFeatures().forEach(f::add);
        ArrayNode cat = o.putArray("categorical");
        c.categoricalFeatures().forEach(cat::add);
        ObjectNode learner = o.putObject("learner");
        learner.put("optimizer", EvaluationText.optimizerName(c));
        learner.put("learningRate", c.learningRate());
        learner.put("l2", c.l2());
        learner.put("l1", c.l1());
        learner.put("standardize", c.standardize());
        learner.put("hashBits", c.hashBits());
        o.put("metric", r.metric());
        o.put("trainRows", r.trainRows());
        o.put("testRows", r.testRows());
        figures(o.putObject("progressive"), r.progressive());
        figures(o.putObject("progressiveOnTest"), r.progressiveOnTest());
        o.put("labelDelay", r.labelDelay());
        if (r.delayed() != null) {
            figures(o.putObject("delayed"), r.delayed());
        }
        figures(o.putObject("holdout"), r.holdout());
        if (r.batch() != null) {
            ObjectNode b = o.putObject("batch");
            b.put("model", r.batchModel());
            b.put("trainRows", r.batchTrainRows());
            figures(b, r.batch());
        } else {
            o.putNull("batch");
            if (r.batchError() != null) {
                o.put("batchError", r.batchError());
            }
        }
        ObjectNode majority = o.putObject("majority");
        figures(majority.putObject("progressive"), r.majorityProgressive());
        figures(majority.putObject("holdout"), r.majorityHoldout());
        if (r.prior() != null) {
            figures(o.putObject("prior"), r.prior());
        }
        o.put("updatesRejected", r.updatesRejected());
        ObjectNode wall = o.putObject("wallTimeMs");
        wall.put("progressive", r.progressiveNanos() / 1e6);
        wall.put("holdout", r.holdoutNanos() / 1e6);
        wall.put("batch", r.batchNanos() / 1e6);
        o.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
        ObjectNode curve = o.putObject("curve");
        curve.put("metric", r.curve().metric());
        ArrayNode events = curve.putArray("events");
        for (long e : r.curve().events()) {
            events.add(e);
        }
        values(curve.putArray("values"), r.curve().values());
        ObjectNode series = curve.putObject("series");
        r.curve().series().forEach((name, v) -> values(series.putArray(name), v));
        return o;
    }

    private static void values(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }

    private static void figures(ObjectNode node, Map<String, Double> figures) {
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            double v = e.getValue();
            if (e.getKey().equals("count")) {
                node.put("count", (long) v);
            } else if (Double.isFinite(v)) {
                node.put(e.getKey(), v);
            } else {
                node.putNull(e.getKey());
            }
        }
    }
}
