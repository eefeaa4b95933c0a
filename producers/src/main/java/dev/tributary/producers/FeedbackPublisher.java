package dev.tributary.producers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.serde.AvroCodec;
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
  public enum Encoding { AVRO, JSON }

  private static final ObjectMapper JSON = new ObjectMapper();

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
    out.registerSchema(schemasTopic, Feedback.getClassSchema());
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
    ObjectNode node = JSON.createObjectNode();
    node.put("id", feedback.getId());
    node.put("model", feedback.getModel());
    node.put("label", feedback.getLabel());
    if (feedback.getTimestamp() != 0) {
      node.put("timestamp", feedback.getTimestamp());
    }
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write feedback as JSON", e);
    }
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
