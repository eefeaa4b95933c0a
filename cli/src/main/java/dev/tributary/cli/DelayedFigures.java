package dev.tributary.cli;

import dev.tributary.learn.DelayedMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** The delayed progressive metrics of a version ({@code delayed.*}) as one short text. */
final class DelayedFigures {
    private static final String COUNT = DelayedMetrics.PREFIX + "count";

    private DelayedFigures() {}

    static boolean present(Map<String, Double> metrics) {
        return metrics.containsKey(COUNT);
    }

    /** "accuracy=0.8120 logloss=0.4110/1,234": the figures over how many labels that came later, or "-". */
    static String text(Map<String, Double> metrics) {
        if (!present(metrics)) {
            return "-";
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        metrics.forEach((key, value) -> {
            if (key.startsWith(DelayedMetrics.PREFIX) && !key.equals(COUNT)) {
                figures.put(key.substring(DelayedMetrics.PREFIX.length()), value);
            }
        });
        return Metrics.all(figures) + "/" + Metrics.count(metrics.get(COUNT).longValue());
    }

    /** The metrics without the delayed ones. */
    static Map<String, Double> without(Map<String, Double> metrics) {
        Map<String, Double> rest = new LinkedHashMap<>(metrics);
        rest.keySet().removeIf(k -> k.startsWith(DelayedMetrics.PREFIX));
        return rest;
    }
}
