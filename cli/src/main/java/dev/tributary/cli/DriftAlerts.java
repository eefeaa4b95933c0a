package dev.tributary.cli;

import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drift alerts of one model, read from the alerts topic up to its end at the time of reading
 * (a missing topic, as on a cluster the functions have not run on yet, holds none).
 *
 * <pre>{@code
 * List<DriftAlert> alerts = DriftAlerts.read(props, Topics.defaults().alerts(), "fraud");
 * String line = DriftAlerts.describe(alerts.get(0));   // "adwin after 2,041 labelled examples: error 0.1000 -> 0.8700"
 * }</pre>
 */
final class DriftAlerts {
    private DriftAlerts() {}

    static List<DriftAlert> read(Map<String, Object> clientProperties, String topic, String model) {
        byte[] key = model.getBytes(StandardCharsets.UTF_8);
        return SmallTopic.read(
                clientProperties, topic, k -> Arrays.equals(key, k), AvroCodec.of(DriftAlert.class)::decode);
    }

    /** "adwin after 2,041 labelled examples: error 0.1000 -> 0.8700". */
    static String describe(DriftAlert a) {
        return String.format(
                Locale.ROOT,
                "%s after %,d labelled examples: %s %.4f -> %.4f",
                a.getDetector(),
                a.getPosition(),
                a.getMetric(),
                a.getBefore(),
                a.getAfter());
    }

    /** The table cell of a version: "adwin", "adwin x3" when it fired more than once, "" for none. */
    static String mark(List<DriftAlert> alerts, long version) {
        List<DriftAlert> mine =
                alerts.stream().filter(a -> a.getVersion() == version).toList();
        if (mine.isEmpty()) {
            return "";
        }
        String detector = mine.get(mine.size() - 1).getDetector();
        return mine.size() == 1 ? detector : detector + " x" + mine.size();
    }
}
