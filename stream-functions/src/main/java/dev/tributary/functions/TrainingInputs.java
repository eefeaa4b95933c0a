package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.schema.Event;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.wire.FeaturizedExample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a training record of any generation the train-by-model topic and the trainer's journal
 * have carried into a feature vector and a label: a {@link JoinedExample} (a label that came
 * later), a {@link FeaturizedExample}, an input value as it arrived (JSON or Avro, written before
 * featurized examples existed), or a decoded {@link Event} (journals of the first release).
 */
final class TrainingInputs {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingInputs.class);

    private final EventDecoder decoder;

    /**
     * One training record, read.
     *
     * @param seenMargin the margin of the prediction the user got, for a label that came later; NaN otherwise
     * @param featurized the featurized example it was read from, or null
     * @param eventId the event's id when it was read from an event, or null
     */
    record Example(double label, double seenMargin, byte[] featurized, String eventId) {
        /** The event's id, for log lines (read from the featurized example only when asked). */
        String id() {
            return eventId != null ? eventId : FeaturizedExample.id(featurized);
        }

        boolean joined() {
            return !Double.isNaN(seenMargin);
        }
    }

    /** @param decoder reads input values as they arrived (the score function already accepted them) */
    TrainingInputs(EventDecoder decoder) {
        this.decoder = decoder;
    }

    /** Fills {@code x} from {@code value}; null (logged) if it does not fit the model or cannot be read. */
    Example read(ModelTraining t, byte[] value, long recordTimestamp, FeatureVector x) {
        if (JoinedExample.matches(value)) {
            Example example = read(t, JoinedExample.example(value), recordTimestamp, x);
            return example == null
                    ? null
                    : new Example(
                            example.label(), JoinedExample.margin(value), example.featurized(), example.eventId());
        }
        if (!FeaturizedExample.matches(value)) {
            Event event;
            try {
                event = decoder.decode(value, recordTimestamp);
            } catch (DecodeException e) {
                LOG.warn("Model '{}' skipped an undecodable training record: {}", t.name(), e.getMessage());
                return null;
            }
            return read(t, event, x);
        }
        String problem = FeaturizedExample.fill(value, t.numericFeatures, t.featurizer.dimension(), x);
        if (problem != null) {
            LOG.warn("Model '{}' skipped event '{}': {}", t.name(), FeaturizedExample.id(value), problem);
            return null;
        }
        return new Example(FeaturizedExample.label(value), Double.NaN, value, null);
    }

    /** Fills {@code x} from a decoded event; null (logged) if it does not fit the model. */
    Example read(ModelTraining t, Event event, FeatureVector x) {
        String problem = t.featurizer.fill(event.getFeatures(), event.getCategories(), x);
        if (problem != null) {
            LOG.warn("Model '{}' skipped event '{}': {}", event.getModel(), event.getId(), problem);
            return null;
        }
        return new Example(event.getLabel(), Double.NaN, null, event.getId());
    }
}
