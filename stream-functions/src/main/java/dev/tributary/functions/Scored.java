package dev.tributary.functions;

import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;

/**
 * The outcome of scoring one input record inside the topology: either a prediction (and the
 * event, for training) or a rejection with the original bytes, for the dead-letter topic; {@code
 * attempts} is how many times scoring ran (more than once after an unexpected exception).
 */
record Scored(Event event, Prediction prediction, Rejection rejection, String reason, byte[] originalValue,
    String sourceTopic, int sourcePartition, long sourceOffset, int attempts) {

  boolean accepted() {
    return rejection == null;
  }

  boolean trainable() {
    return accepted() && event.getLabel() != null;
  }
}
