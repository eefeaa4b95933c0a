package dev.tributary.schema.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the decoders of input values ({@link EventDecoder}, {@link FeedbackDecoder}) share: the size
 * limit, telling a JSON object from Avro single-object encoding by the first bytes, the wait for an
 * unknown writer schema, and the readers of JSON fields. Every failure is a {@link DecodeException}
 * with the reason.
 *
 * @param <T> the Avro record the value holds
 */
final class InputValues<T extends SpecificRecord> {
    /** Model names are used in registry keys and metric tags: printable, no separators. */
    static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final String record;
    private final String noun;
    private final AvroCodec<T> avro;
    private final int maxValueBytes;
    private final BooleanSupplier schemasCaughtUp;

    /**
     * @param noun what a value is called in reasons ("event", "feedback")
     * @param schemasCaughtUp on an Avro value of an unknown writer schema, waits until this process
     *     has read the writer schemas registered so far (true if it has; the decode is then retried once)
     */
    InputValues(Class<T> type, String noun, int maxValueBytes, BooleanSupplier schemasCaughtUp) {
        this.avro = AvroCodec.of(type);
        this.record = type.getSimpleName();
        this.noun = noun;
        this.maxValueBytes = maxValueBytes;
        this.schemasCaughtUp = schemasCaughtUp;
    }

    /** The value as a record: {@code fromJson} reads a JSON object, Avro single-object encoding is decoded. */
    T decode(byte[] value, Function<JsonNode, T> fromJson) {
        if (value == null || value.length == 0) {
            throw new DecodeException("empty value: expected a JSON object or an Avro " + record);
        }
        if (value.length > maxValueBytes) {
            throw new DecodeException(
                    "value is " + value.length + " bytes, over the limit of " + maxValueBytes + " bytes per " + noun);
        }
        if (startsLikeJson(value)) {
            return fromJson.apply(object(value));
        }
        if (AvroCodec.hasSingleObjectMagic(value)) {
            return fromAvro(value);
        }
        throw new DecodeException("neither a JSON object nor an Avro " + record + " (Avro single-object encoding starts"
                + " C3 01; this value of " + value.length + " bytes starts " + AvroCodec.hexPrefix(value, 8) + ")");
    }

    private T fromAvro(byte[] value) {
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

    private JsonNode object(byte[] value) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new DecodeException("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new DecodeException("unreadable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DecodeException(
                    "JSON " + noun + " must be an object, got " + (root == null ? "nothing" : kind(root)));
        }
        return root;
    }

    static String requiredText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new DecodeException("missing '" + field + "'");
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new DecodeException("'" + field + "' must be a string, got " + kind(node));
        }
        return node.asText();
    }

    /** A label: a number, or true/false for 1/0; null when absent. */
    static Double label(JsonNode node) {
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

    static long timestamp(JsonNode node, long defaultTimestamp) {
        if (node == null || node.isNull()) {
            return defaultTimestamp;
        }
        if (!node.isIntegralNumber()) {
            throw new DecodeException("'timestamp' must be epoch milliseconds (an integer), got " + kind(node));
        }
        return node.asLong();
    }

    /** Refuses an empty id, a model name that is not one, and a label that is not finite. */
    static void checkIdModelLabel(String id, String model, Double label) {
        if (id.isEmpty()) {
            throw new DecodeException("'id' is empty");
        }
        if (!MODEL_NAME.matcher(model).matches()) {
            throw new DecodeException(
                    "model name '" + printable(model) + "' is invalid: use 1-128 letters, digits, '.', '_' or '-'");
        }
        if (label != null && (Double.isNaN(label) || Double.isInfinite(label))) {
            throw new DecodeException("'label' is " + label);
        }
    }

    static String kind(JsonNode node) {
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
