package dev.tributary.functions;

import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;

/**
 * The outcome of scoring one input record inside the topology: either a prediction (and the
 * event, for training) or a rejection with the original bytes, for the dead-letter topic.
 *
 * @param trainingValue for a labelled event, what goes to the train function: the example as
 *     featurized here ({@link FeaturizedExample}); null otherwise
 */
record Scored(Event event, Prediction prediction, Rejection rejection, String reason, byte[] originalValue,
    byte[] trainingValue, String sourceTopic, int sourcePartition, long sourceOffset) {

  boolean accepted() {
    return rejection == null;
  }

  boolean trainable() {
    return accepted() && event.getLabel() != null;
  }
}
