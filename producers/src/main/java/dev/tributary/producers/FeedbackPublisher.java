package dev.tributary.producers;

import dev.tributary.schema.Feedback;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.WriterSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Publishes the labels of events scored earlier to the feedback topic, keyed by event id (as the
 * event was, so the label reaches the task that holds the event), as Avro single-object encoding of
 * {@link Feedback} or as JSON {@code {"id": ..., "model": ..., "label": ...}}. It sends through an
 * {@link EventPublisher}, with its producer settings.
 *
 * <pre>{@code
 * try (FeedbackPublisher out = new FeedbackPublisher(props, Topics.defaults().feedback(), FeedbackPublisher.Encoding.AVRO)) {
 *   out.registerSchema(Topics.defaults().schemas());
 *   out.send(new Feedback("imp-81", "ctr", 1.0, 0L));
 * }
 * }</pre>
 */
public final class FeedbackPublisher implements AutoCloseable {
    /** How a feedback record is written; the score function reads both. */
    public enum Encoding {
        AVRO,
        JSON
    }

    private final EventPublisher out;
    private final Encoding encoding;
    private final AvroCodec<Feedback> codec = AvroCodec.of(Feedback.class);

    /** As fast as the broker takes them. */
    public FeedbackPublisher(Map<String, Object> clientProperties, String topic, Encoding encoding) {
        this(new EventPublisher(clientProperties, topic, 0), encoding);
    }

    /** Over a publisher of the caller's (its topic the feedback topic, its rate the caller's); closed with this one. */
    public FeedbackPublisher(EventPublisher out, Encoding encoding) {
        this.out = out;
        this.encoding = encoding;
    }

    /**
     * Registers the Feedback writer schema on the schemas topic (waits for the broker), so that
     * readers of another release can decode the Avro feedback. Not needed for JSON.
     */
    public FeedbackPublisher registerSchema(String schemasTopic) {
        WriterSchemas.register(out.producer(), schemasTopic, Feedback.getClassSchema());
        return this;
    }

    public void send(Feedback feedback) {
        out.sendRaw(feedback.getId().getBytes(StandardCharsets.UTF_8), encode(feedback));
    }

    byte[] encode(Feedback feedback) {
        return encoding == Encoding.AVRO ? codec.encode(feedback) : json(feedback);
    }

    /** {@code {"id": ..., "model": ..., "label": ...}}, with {@code "timestamp"} when it is set (not 0). */
    public static byte[] json(Feedback feedback) {
        StringBuilder json = new StringBuilder("{\"id\": ");
        quote(feedback.getId(), json).append(", \"model\": ");
        quote(feedback.getModel(), json).append(", \"label\": ").append(feedback.getLabel());
        if (feedback.getTimestamp() != 0) {
            json.append(", \"timestamp\": ").append(feedback.getTimestamp());
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder quote(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }

    public long sent() {
        return out.sent();
    }

    /** Waits until every feedback sent so far is acknowledged; throws if any failed. */
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.close();
    }
}
