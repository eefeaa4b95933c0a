package dev.tributary.functions;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Header names of dead letters: the record itself is the original key and value, untouched. */
public final class DeadLetters {
  public static final String ERROR_CLASS = "tributary.error.class";
  public static final String ERROR_MESSAGE = "tributary.error.message";
  public static final String STAGE = "tributary.error.stage";
  public static final String SOURCE_TOPIC = "tributary.source.topic";
  public static final String SOURCE_PARTITION = "tributary.source.partition";
  public static final String SOURCE_OFFSET = "tributary.source.offset";

  private DeadLetters() {}

  static void describe(Headers headers, Rejection rejection, String reason, String stage, String topic,
      int partition, long offset) {
    headers.add(ERROR_CLASS, utf8(rejection.name()));
    headers.add(ERROR_MESSAGE, utf8(reason));
    headers.add(STAGE, utf8(stage));
    headers.add(SOURCE_TOPIC, utf8(topic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
  }

  /** A header's value as text, or null when absent. */
  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
