package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A labelled event as the score function featurized it, in the form the train-by-model topic and
 * the trainer's journal carry it: the train function learns from it without decoding the event
 * again. Layout: {@code 'T' 'X'}, the label (float64), the entry count (int32), each entry's index
 * (int32) and value (float64), then the event id (UTF-8, for log lines). All big-endian.
 *
 * <p>The first two bytes tell it apart from an input value as it arrived (JSON starts with
 * {@code {} or blanks, Avro single-object encoding with {@code C3 01}), which the train function
 * still reads from a topic or journal written before this form existed.
 */
final class FeaturizedExample {
  private static final byte MAGIC_0 = 'T';
  private static final byte MAGIC_1 = 'X';
  private static final int HEADER_BYTES = 2 + Double.BYTES + Integer.BYTES;
  private static final int ENTRY_BYTES = Integer.BYTES + Double.BYTES;

  private FeaturizedExample() {}

  static byte[] encode(String id, double label, FeatureVector x) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + x.size() * ENTRY_BYTES + idBytes.length);
    b.put(MAGIC_0).put(MAGIC_1).putDouble(label).putInt(x.size());
    for (int k = 0; k < x.size(); k++) {
      b.putInt(x.index(k)).putDouble(x.value(k));
    }
    return b.put(idBytes).array();
  }

  /** Whether {@code value} is in this form (else it is an input value as it arrived). */
  static boolean matches(byte[] value) {
    return value != null && value.length >= HEADER_BYTES && value[0] == MAGIC_0 && value[1] == MAGIC_1;
  }

  static double label(byte[] value) {
    return ByteBuffer.wrap(value).getDouble(2);
  }

  static String id(byte[] value) {
    long start = HEADER_BYTES + (long) entries(value) * ENTRY_BYTES;
    return start < 0 || start > value.length ? "?"
        : new String(value, (int) start, value.length - (int) start, StandardCharsets.UTF_8);
  }

  /**
   * Fills {@code x} with the entries if they fit a model of {@code numeric} numeric features (first,
   * in order) and {@code dimension} weights; returns why not, or null.
   */
  static String fill(byte[] value, int numeric, int dimension, FeatureVector x) {
    x.clear();
    int n = entries(value);
    if (n < numeric || n > (value.length - HEADER_BYTES) / ENTRY_BYTES) {
      return "a featurized example of " + n + " entries and " + value.length + " bytes does not fit a model of "
          + numeric + " numeric features";
    }
    ByteBuffer b = ByteBuffer.wrap(value, HEADER_BYTES, n * ENTRY_BYTES);
    for (int k = 0; k < n; k++) {
      int index = b.getInt();
      double v = b.getDouble();
      boolean fits = k < numeric ? index == k : index >= numeric && index < dimension;
      if (!fits || !Double.isFinite(v)) {
        x.clear();
        return "entry " + k + " (index " + index + ", value " + v + ") does not fit a model of " + numeric
            + " numeric features and " + dimension + " weights";
      }
      x.add(index, v);
    }
    return null;
  }

  private static int entries(byte[] value) {
    return ByteBuffer.wrap(value).getInt(2 + Double.BYTES);
  }
}
