package dev.tributary.schema.serde;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schema.Event;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Turns an input value into a valid {@link Event}, or throws {@link DecodeException} with the
 * reason. A value whose first non-blank byte is {@code {} is a JSON object such as
 * {@code {"id":"e1","model":"m","features":{"x1":1.5},"categories":{"city":"Oslo"},"label":1}}
 * ({@code categories}, {@code label}, {@code timestamp} optional); anything else must be Avro
 * single-object encoding of {@code Event}. Both paths apply the same checks and {@link EventLimits}.
 *
 * <pre>{@code
 * Event e = new EventDecoder(EventLimits.DEFAULT).decode(bytes, record.timestamp());
 * }</pre>
 */
public final class EventDecoder {
    /** Model names are used in registry keys and metric tags: printable, no separators. */
    public static final Pattern MODEL_NAME = InputValues.MODEL_NAME;

    private final EventLimits limits;
    private final InputValues<Event> input;

    public EventDecoder(EventLimits limits) {
        this(limits, () -> false);
    }

    /**
     * @param schemasCaughtUp on an Avro event of an unknown writer schema, waits until this process
     *     has read the writer schemas registered so far (true if it has; the decode is then retried once)
     */
    public EventDecoder(EventLimits limits, BooleanSupplier schemasCaughtUp) {
        this.limits = limits;
        this.input = new InputValues<>(Event.class, "event", limits.maxValueBytes(), schemasCaughtUp);
    }

    /**
     * @param defaultTimestamp used when a JSON event has no {@code timestamp} (the record's time)
     */
    public Event decode(byte[] value, long defaultTimestamp) {
        Event event = input.decode(value, root -> fromJson(root, defaultTimestamp));
        validate(event);
        return event;
    }

    private Event fromJson(JsonNode root, long defaultTimestamp) {
        Event.Builder event = Event.newBuilder()
                .setId(requiredText(root, "id"))
                .setModel(requiredText(root, "model"))
                .setFeatures(numbers(root.get("features")))
                .setCategories(texts(root.get("categories")))
                .setLabel(InputValues.label(root.get("label")))
                .setTimestamp(InputValues.timestamp(root.get("timestamp"), defaultTimestamp));
        return event.build();
    }

    private Map<String, Double> numbers(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new DecodeException("missing 'features' (an object of name: number)");
        }
        if (!node.isObject()) {
            throw new DecodeException("'features' must be an object of name: number, got " + kind(node));
        }
        checkCount(node.size());
        Map<String, Double> features = new HashMap<>(node.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isNumber()) {
                throw new DecodeException(
                        "feature '" + entry.getKey() + "' must be a number, got " + kind(entry.getValue()));
            }
            features.put(entry.getKey(), entry.getValue().asDouble());
        }
        return features;
    }

    private Map<String, String> texts(JsonNode node) {
        if (node == null || node.isNull()) {
            return new HashMap<>();
        }
        if (!node.isObject()) {
            throw new DecodeException("'categories' must be an object of name: string, got " + kind(node));
        }
        checkCount(node.size());
        Map<String, String> categories = new HashMap<>(node.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode v = entry.getValue();
            if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                throw new DecodeException("category '" + entry.getKey() + "' must be a string, got " + kind(v));
            }
            categories.put(entry.getKey(), v.asText());
        }
        return categories;
    }

    private void checkCount(int count) {
        if (count > limits.maxFeatures()) {
            throw new DecodeException("event has " + count + " features, over the limit of " + limits.maxFeatures());
        }
    }

    private void validate(Event event) {
        InputValues.checkIdModelLabel(event.getId(), event.getModel(), event.getLabel());
        if (event.getFeatures().size() + event.getCategories().size() > limits.maxFeatures()) {
            throw new DecodeException("event has "
                    + (event.getFeatures().size() + event.getCategories().size()) + " features, over the limit of "
                    + limits.maxFeatures());
        }
        for (Map.Entry<String, Double> f : event.getFeatures().entrySet()) {
            double v = f.getValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new DecodeException("feature '" + printable(f.getKey()) + "' is " + v);
            }
            if (Math.abs(v) > limits.maxAbsFeatureValue()) {
                throw new DecodeException("feature '" + printable(f.getKey()) + "' = " + v
                        + " is beyond the accepted magnitude " + limits.maxAbsFeatureValue());
            }
        }
    }

    private static String requiredText(JsonNode root, String field) {
        return InputValues.requiredText(root, field);
    }

    private static String kind(JsonNode node) {
        return InputValues.kind(node);
    }

    static String printable(String s) {
        return InputValues.printable(s);
    }
}
