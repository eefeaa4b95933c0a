package dev.tributary.schema.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
  public static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final EventLimits limits;
  private final AvroCodec<Event> avro = AvroCodec.of(Event.class);
  private final BooleanSupplier schemasCaughtUp;

  public EventDecoder(EventLimits limits) {
    this(limits, () -> false);
  }

  /**
   * @param schemasCaughtUp on an Avro event of an unknown writer schema, waits until this process
   *     has read the writer schemas registered so far (true if it has; the decode is then retried once)
   */
  public EventDecoder(EventLimits limits, BooleanSupplier schemasCaughtUp) {
    this.limits = limits;
    this.schemasCaughtUp = schemasCaughtUp;
  }

  /**
   * @param defaultTimestamp used when a JSON event has no {@code timestamp} (the record's time)
   */
  public Event decode(byte[] value, long defaultTimestamp) {
    if (value == null || value.length == 0) {
      throw new DecodeException("empty value: expected a JSON object or an Avro Event");
    }
    if (value.length > limits.maxValueBytes()) {
      throw new DecodeException("value is " + value.length + " bytes, over the limit of "
          + limits.maxValueBytes() + " bytes per event");
    }
    Event event;
    if (startsLikeJson(value)) {
      event = fromJson(value, defaultTimestamp);
    } else if (AvroCodec.hasSingleObjectMagic(value)) {
      event = fromAvro(value);
    } else {
      throw new DecodeException("neither a JSON object nor an Avro Event (Avro single-object encoding starts C3 01;"
          + " this value of " + value.length + " bytes starts " + AvroCodec.hexPrefix(value, 8) + ")");
    }
    validate(event);
    return event;
  }

  private Event fromAvro(byte[] value) {
    try {
      return avro.decode(value);
    } catch (UnknownWriterSchemaException e) {
      if (!schemasCaughtUp.getAsBoolean()) {
        throw e;
      }
      return avro.decode(value); // its writer may have registered the schema a moment ago
    }
  }

  private static boolean startsLikeJson(byte[] value) {
    for (byte b : value) {
      if (b == '{' || b == '[' || b == '"') {
        return true; // an array or a string is JSON too, and is refused as not an object
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return false;
  }

  private Event fromJson(byte[] value, long defaultTimestamp) {
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new DecodeException("malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new DecodeException("unreadable JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new DecodeException("JSON event must be an object, got " + (root == null ? "nothing" : kind(root)));
    }
    Event.Builder event = Event.newBuilder()
        .setId(requiredText(root, "id"))
        .setModel(requiredText(root, "model"))
        .setFeatures(numbers(root.get("features")))
        .setCategories(texts(root.get("categories")))
        .setLabel(label(root.get("label")))
        .setTimestamp(timestamp(root.get("timestamp"), defaultTimestamp));
    return event.build();
  }

  private static String requiredText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new DecodeException("missing '" + field + "'");
    }
    if (!node.isTextual() && !node.isIntegralNumber()) {
      throw new DecodeException("'" + field + "' must be a string, got " + kind(node));
    }
    return node.asText();
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
        throw new DecodeException("feature '" + entry.getKey() + "' must be a number, got " + kind(entry.getValue()));
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

  private static Double label(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? 1.0 : 0.0;
    }
    if (!node.isNumber()) {
      throw new DecodeException("'label' must be a number (0 or 1 for classifiers), got " + kind(node));
    }
    return node.asDouble();
  }

  private static long timestamp(JsonNode node, long defaultTimestamp) {
    if (node == null || node.isNull()) {
      return defaultTimestamp;
    }
    if (!node.isIntegralNumber()) {
      throw new DecodeException("'timestamp' must be epoch milliseconds (an integer), got " + kind(node));
    }
    return node.asLong();
  }

  private void checkCount(int count) {
    if (count > limits.maxFeatures()) {
      throw new DecodeException("event has " + count + " features, over the limit of " + limits.maxFeatures());
    }
  }

  private void validate(Event event) {
    if (event.getId().isEmpty()) {
      throw new DecodeException("'id' is empty");
    }
    if (!MODEL_NAME.matcher(event.getModel()).matches()) {
      throw new DecodeException("model name '" + printable(event.getModel())
          + "' is invalid: use 1-128 letters, digits, '.', '_' or '-'");
    }
    if (event.getFeatures().size() + event.getCategories().size() > limits.maxFeatures()) {
      throw new DecodeException("event has " + (event.getFeatures().size() + event.getCategories().size())
          + " features, over the limit of " + limits.maxFeatures());
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
    Double label = event.getLabel();
    if (label != null && (Double.isNaN(label) || Double.isInfinite(label))) {
      throw new DecodeException("'label' is " + label);
    }
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase() + (node.isValueNode() ? " " + abbreviate(node.toString()) : "");
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** Control characters shown escaped, so a reason never corrupts a terminal or a log line. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < 120; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
