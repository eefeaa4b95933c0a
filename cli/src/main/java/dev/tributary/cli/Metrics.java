package dev.tributary.cli;

import dev.tributary.schema.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Short text forms of a version's progressive metrics. */
final class Metrics {
    private static final List<String> ORDER =
            List.of("r2", "accuracy", "rmse", "mae", "logloss", "priorLogloss", "auc", "precision", "recall", "f1");

    private Metrics() {}

    /** "r2 0.9713" or "accuracy 0.9120", or "-" before any training. */
    static String headline(ModelVersion v) {
        Map.Entry<String, Double> h = VersionJson.headline(v);
        return h == null ? "-" : h.getKey() + " " + number(h.getValue());
    }

    /** "r2=0.9713 rmse=0.51 mae=0.40", in a fixed order, without the count. */
    static String all(Map<String, Double> metrics) {
        List<String> parts = new ArrayList<>();
        for (String name : ORDER) {
            Double value = metrics.get(name);
            if (value != null) {
                parts.add(name + "=" + number(value));
            }
        }
        metrics.keySet().stream()
                .filter(k -> !ORDER.contains(k) && !"count".equals(k))
                .sorted()
                .forEach(k -> parts.add(k + "=" + number(metrics.get(k))));
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, a >= 1000 ? "%.1f" : "%.4f", v);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
