package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The dead-letter topic as the dashboard shows it: counts by reason per minute (the last day) and
 * the latest records, their values truncated. Fed by a {@code TopicFollower}; thread-safe.
 */
final class DeadLetterLog {
    static final int LATEST = 50;
    /** Characters of a value or header shown at most. */
    static final int MAX_CHARS = 400;

    static final long MINUTE = 60_000;
    static final int MINUTES_KEPT = 24 * 60;

    private final Renderers renderers;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> latest = new ArrayDeque<>();
    /** Minute start (epoch ms) → reason → count. */
    private final TreeMap<Long, Map<String, Long>> perMinute = new TreeMap<>();

    private long total;

    DeadLetterLog(Renderers renderers) {
        this.renderers = renderers;
    }

    synchronized void add(ConsumerRecord<byte[], byte[]> r) {
        total++;
        latest.addFirst(r);
        if (latest.size() > LATEST) {
            latest.removeLast();
        }
        long minute = Math.floorDiv(r.timestamp(), MINUTE) * MINUTE;
        perMinute.computeIfAbsent(minute, m -> new TreeMap<>()).merge(reason(r), 1L, Long::sum);
        while (perMinute.size() > MINUTES_KEPT) {
            perMinute.pollFirstEntry();
        }
    }

    synchronized long total() {
        return total;
    }

    static String reason(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(DeadLetters.ERROR_CLASS);
        return h == null || h.value() == null ? "unknown" : new String(h.value(), StandardCharsets.UTF_8);
    }

    synchronized ObjectNode json() {
        ObjectNode json = ModelsJson.object();
        json.put("total", total);
        TreeSet<String> reasons = new TreeSet<>();
        perMinute.values().forEach(m -> reasons.addAll(m.keySet()));
        ArrayNode names = json.putArray("reasons");
        reasons.forEach(names::add);
        ArrayNode minutes = json.putArray("minutes");
        perMinute.forEach((minute, counts) -> {
            ObjectNode m = minutes.addObject();
            m.put("start", minute);
            ObjectNode c = m.putObject("counts");
            counts.forEach(c::put);
        });
        ArrayNode records = json.putArray("latest");
        List<ConsumerRecord<byte[], byte[]>> copy = new ArrayList<>(latest);
        for (ConsumerRecord<byte[], byte[]> r : copy) {
            ObjectNode rendered = renderers.record(r);
            rendered.put("reason", reason(r));
            records.add(truncated(rendered));
        }
        return json;
    }

    /** Every text value cut to {@link #MAX_CHARS} characters, with how long it was. */
    static ObjectNode truncated(ObjectNode node) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value.isTextual() && value.asText().length() > MAX_CHARS) {
                node.put(field, value.asText().substring(0, MAX_CHARS) + "…");
                node.put(field + "Truncated", value.asText().length());
            } else if (value.isObject()) {
                truncated((ObjectNode) value);
            }
        }
        return node;
    }
}
