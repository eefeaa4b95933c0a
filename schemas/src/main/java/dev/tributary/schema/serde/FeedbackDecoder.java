package dev.tributary.schema.serde;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schema.Feedback;
import java.util.function.BooleanSupplier;

/**
 * Turns a value of the feedback topic into a valid {@link Feedback}, or throws {@link
 * DecodeException} with the reason: a JSON object {@code {"id":"imp-81","model":"ctr","label":1}}
 * ({@code timestamp}, epoch milliseconds, optional; {@code true}/{@code false} read as 1/0), or Avro
 * single-object encoding of {@code Feedback}. The format sniffing, the size limit and the checks of
 * id, model name and label are {@link EventDecoder}'s.
 *
 * <pre>{@code
 * Feedback f = new FeedbackDecoder(EventLimits.DEFAULT).decode(bytes, record.timestamp());
 * }</pre>
 */
public final class FeedbackDecoder {
    private final InputValues<Feedback> input;

    public FeedbackDecoder(EventLimits limits) {
        this(limits, () -> false);
    }

    /** @param schemasCaughtUp as {@link EventDecoder#EventDecoder(EventLimits, BooleanSupplier)} */
    public FeedbackDecoder(EventLimits limits, BooleanSupplier schemasCaughtUp) {
        this.input = new InputValues<>(Feedback.class, "feedback", limits.maxValueBytes(), schemasCaughtUp);
    }

    /** @param defaultTimestamp the feedback's time when it names none (JSON without one, Avro with 0): the record's */
    public Feedback decode(byte[] value, long defaultTimestamp) {
        Feedback feedback = input.decode(value, root -> fromJson(root, defaultTimestamp));
        InputValues.checkIdModelLabel(feedback.getId(), feedback.getModel(), feedback.getLabel());
        if (feedback.getTimestamp() == 0) {
            feedback.setTimestamp(defaultTimestamp);
        }
        return feedback;
    }

    private static Feedback fromJson(JsonNode root, long defaultTimestamp) {
        String id = InputValues.requiredText(root, "id");
        String model = InputValues.requiredText(root, "model");
        Double label = InputValues.label(root.get("label"));
        if (label == null) {
            throw new DecodeException(
                    "missing 'label': feedback carries the label of event '" + InputValues.printable(id) + "'");
        }
        return new Feedback(id, model, label, InputValues.timestamp(root.get("timestamp"), defaultTimestamp));
    }
}
