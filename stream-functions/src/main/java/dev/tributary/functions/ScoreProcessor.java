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
 * Prediction}. Anything unusable becomes a rejected {@link Scored} carrying its reason. Events of
 * models this function does not serve are left to the functions that do ({@link Routing}); an
 * unexpected exception is retried ({@link Retries}), then rejected as {@link Rejection#FAILED}, and
 * a prediction that took longer than the function's timeout is rejected as {@link Rejection#TIMED_OUT}.
 */
final class ScoreProcessor implements FixedKeyProcessor<byte[], byte[], Scored> {
  private final ModelCatalog catalog;
  private final EventDecoder decoder;
  private final Duration unknownModelWait;
  private final FunctionStats stats;
  private final Routing routing;
  private final Retries retries;
  private final FeatureVector x = new FeatureVector(64);
  private FixedKeyProcessorContext<byte[], Scored> context;
  private long calls;

  ScoreProcessor(ModelCatalog catalog, EventDecoder decoder, Duration unknownModelWait, FunctionStats stats,
      Routing routing) {
    this.catalog = catalog;
    this.decoder = decoder;
    this.unknownModelWait = unknownModelWait;
    this.stats = stats;
    this.routing = routing;
    this.retries = new Retries(routing.self());
  }

  @Override
  public void init(FixedKeyProcessorContext<byte[], Scored> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<byte[], byte[]> record) {
    long start = System.nanoTime();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    Scored scored;
    try {
      scored = retries.run(() -> score(record.value(), record.timestamp(), source), start);
      if (scored != null && scored.accepted() && retries.overTimeout(start)) {
        scored = failed(scored.event(), record.value(), Rejection.TIMED_OUT, String.format(
            "scoring took %d ms, over the function's timeout of %d ms", (System.nanoTime() - start) / 1_000_000,
            routing.self().timeout().toMillis()), source, retries.attempts());
      }
    } catch (Retries.ExhaustedException e) {
      scored = failed(null, record.value(), Rejection.FAILED, e.getMessage(), source, e.attempts);
    }
    stats.recordScoreNanos(System.nanoTime() - start, ++calls);
    if (scored == null) {
      return; // another function of the file handles this event
    }
    if (scored.accepted()) {
      stats.scored.increment();
    } else {
      stats.deadLetters.increment();
    }
    context.forward(record.withValue(scored));
  }

  /** The outcome for this function, or null when the event is another function's to handle. */
  private Scored score(byte[] value, long recordTimestamp, RecordMetadata source) {
    Event event;
    try {
      event = decoder.decode(value, recordTimestamp);
    } catch (DecodeException e) {
      return rejected(null, value, Rejection.UNDECODABLE, e.getMessage(), source);
    }
    if (!routing.serves(event.getModel())) {
      return rejected(event, value, Rejection.NOT_SERVED, "model '" + event.getModel()
          + "' is not served by any function triggered by topic " + source.topic(), source);
    }
    ServingModel model;
    try {
      model = catalog.serving(event.getModel());
      if (model == null && catalog.awaitCaughtUp(unknownModelWait)) {
        model = catalog.serving(event.getModel()); // the model may have been created a moment ago
      }
    } catch (ModelCache.ModelUnusableException e) {
      return rejected(event, value, Rejection.MODEL_UNUSABLE, e.getMessage(), source);
    }
    if (model == null) {
      return rejected(event, value, Rejection.UNKNOWN_MODEL, "unknown model '" + event.getModel()
          + "': create it first (tributary models create " + event.getModel() + " ...)", source);
    }
    Algorithm algorithm = model.spec().getAlgorithm();
    Double label = event.getLabel();
    if (label != null && algorithm != Algorithm.LINEAR_REGRESSION && label != 0.0 && label != 1.0) {
      return rejected(event, value, Rejection.BAD_LABEL, "label " + label + " is not 0 or 1, as the "
          + algorithm + " model '" + event.getModel() + "' requires", source);
    }
    String problem = model.featurize(event.getFeatures(), event.getCategories(), x);
    if (problem != null) {
      return rejected(event, value, Rejection.BAD_FEATURES, problem + " (model '" + event.getModel() + "')", source);
    }
    Prediction prediction = model.predict(event.getId(), x, event.getTimestamp(), System.currentTimeMillis());
    return new Scored(event, prediction, null, null, value, source.topic(), source.partition(), source.offset(), 1);
  }

  /** A rejection of bad input, or null when another function of the file writes this event's dead letter. */
  private Scored rejected(Event event, byte[] value, Rejection rejection, String reason, RecordMetadata source) {
    if (!routing.reports(source.topic(), event == null ? null : event.getModel())) {
      return null;
    }
    return failed(event, value, rejection, reason, source, 1);
  }

  /** A rejection this function alone knows of (it failed or was too slow): always its own to write. */
  private static Scored failed(Event event, byte[] value, Rejection rejection, String reason, RecordMetadata source,
      int attempts) {
    return new Scored(event, null, rejection, reason, value, source.topic(), source.partition(), source.offset(),
        attempts);
  }
}
