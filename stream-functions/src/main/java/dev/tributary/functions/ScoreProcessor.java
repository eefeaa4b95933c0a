package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.registry.ModelCache;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The score function: input bytes → {@link Event} → the model's serving version → {@link
 * Prediction}. Anything unusable becomes a rejected {@link Scored} carrying its reason.
 */
final class ScoreProcessor implements FixedKeyProcessor<byte[], byte[], Scored> {
  private final ModelCatalog catalog;
  private final EventDecoder decoder;
  private final Duration unknownModelWait;
  private final FunctionStats stats;
  private final FeatureVector x = new FeatureVector(64);
  private FixedKeyProcessorContext<byte[], Scored> context;
  private long calls;

  ScoreProcessor(ModelCatalog catalog, EventDecoder decoder, Duration unknownModelWait, FunctionStats stats) {
    this.catalog = catalog;
    this.decoder = decoder;
    this.unknownModelWait = unknownModelWait;
    this.stats = stats;
  }

  @Override
  public void init(FixedKeyProcessorContext<byte[], Scored> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<byte[], byte[]> record) {
    long start = System.nanoTime();
    Scored scored = score(record.value(), record.timestamp());
    stats.recordScoreNanos(System.nanoTime() - start, ++calls);
    context.forward(record.withValue(scored));
  }

  private Scored score(byte[] value, long recordTimestamp) {
    Event event;
    try {
      event = decoder.decode(value, recordTimestamp);
    } catch (DecodeException e) {
      return rejected(null, value, Rejection.UNDECODABLE, e.getMessage());
    }
    ServingModel model;
    try {
      model = catalog.serving(event.getModel());
      if (model == null && catalog.awaitCaughtUp(unknownModelWait)) {
        model = catalog.serving(event.getModel()); // the model may have been created a moment ago
      }
    } catch (ModelCache.ModelUnusableException e) {
      return rejected(event, value, Rejection.MODEL_UNUSABLE, e.getMessage());
    }
    if (model == null) {
      return rejected(event, value, Rejection.UNKNOWN_MODEL, "unknown model '" + event.getModel()
          + "': create it first (tributary models create " + event.getModel() + " ...)");
    }
    Algorithm algorithm = model.spec().getAlgorithm();
    Double label = event.getLabel();
    if (label != null && algorithm != Algorithm.LINEAR_REGRESSION && label != 0.0 && label != 1.0) {
      return rejected(event, value, Rejection.BAD_LABEL, "label " + label + " is not 0 or 1, as the "
          + algorithm + " model '" + event.getModel() + "' requires");
    }
    String problem = model.featurize(event.getFeatures(), event.getCategories(), x);
    if (problem != null) {
      return rejected(event, value, Rejection.BAD_FEATURES, problem + " (model '" + event.getModel() + "')");
    }
    Prediction prediction = model.predict(event.getId(), x, event.getTimestamp(), System.currentTimeMillis());
    stats.scored.increment();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    // Featurized once, here: the train function learns from these entries without decoding the event again.
    byte[] training = label == null ? null
        : FeaturizedExample.encode(event.getId(), label, model.spec().getFeatures().size(), x);
    return new Scored(event, prediction, null, null, value, training, source.topic(), source.partition(),
        source.offset());
  }

  private Scored rejected(Event event, byte[] value, Rejection rejection, String reason) {
    stats.deadLetters.increment();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    return new Scored(event, null, rejection, reason, value, null, source.topic(), source.partition(),
        source.offset());
  }
}
