package dev.tributary.functions;

import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.TributarySerdes;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * The score and train functions as one Kafka Streams topology, read top to bottom:
 *
 * <pre>
 * events ─► score ─┬─► rejected ─────────────────────────────► dead-letters
 *                  ├─► accepted ─► prediction ────────────────► predictions
 *                  └─► labelled ─► re-key by model ─► train ──► models (new versions)
 * </pre>
 */
public final class FunctionsTopology {
  public static final String TRAINER_STORE = "trainer-state";

  private FunctionsTopology() {}

  public static Topology build(Topics topics, ModelCatalog catalog, Settings settings, FunctionStats stats) {
    EventDecoder decoder = new EventDecoder(settings.limits());
    StreamsBuilder builder = new StreamsBuilder();

    KStream<byte[], Scored> scored = builder
        .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events"))
        .processValues(() -> new ScoreProcessor(catalog, decoder, settings.unknownModelWait(), stats), Named.as("score"));

    scored.filter((key, s) -> !s.accepted(), Named.as("rejected"))
        .processValues(DeadLetterProcessor::new, Named.as("describe-rejection"))
        .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letters"));

    scored.filter((key, s) -> s.accepted(), Named.as("accepted"))
        .mapValues(Scored::prediction, Named.as("prediction"))
        .to(topics.predictions(), Produced.<byte[], Prediction>with(Serdes.ByteArray(), TributarySerdes.prediction())
            .withName("predictions"));

    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(TRAINER_STORE), Serdes.String(), TributarySerdes.trainerState()));
    scored.filter((key, s) -> s.trainable(), Named.as("labelled"))
        .process(KeyByModel::new, Named.as("key-by-model"))
        .repartition(Repartitioned.<String, Event>with(Serdes.String(), TributarySerdes.event()).withName("train-by-model"))
        .process(() -> new TrainProcessor(catalog, TRAINER_STORE, settings.instanceId(), settings.unknownModelWait(),
            stats), Named.as("train"), TRAINER_STORE)
        .to(topics.models(), Produced.<String, RegistryRecord>with(Serdes.String(), TributarySerdes.registryRecord())
            .withName("versions"));

    return builder.build();
  }

  /**
   * @param limits bounds on one input event
   * @param unknownModelWait how long to wait for the registry view to catch up before declaring a model unknown
   * @param instanceId names this instance in the lineage of the versions it publishes
   */
  public record Settings(EventLimits limits, Duration unknownModelWait, String instanceId) {
    public static Settings defaults(String instanceId) {
      return new Settings(EventLimits.DEFAULT, Duration.ofSeconds(5), instanceId);
    }
  }

  /** Re-keys a labelled event by its model (one writer per model) and notes where it came from. */
  private static final class KeyByModel implements Processor<byte[], Scored, String, Event> {
    private ProcessorContext<String, Event> context;

    @Override
    public void init(ProcessorContext<String, Event> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], Scored> record) {
      Scored s = record.value();
      RecordHeaders headers = new RecordHeaders(record.headers().toArray());
      SourceHeaders.add(headers, s.sourceTopic(), s.sourcePartition(), s.sourceOffset());
      context.forward(new Record<>(s.event().getModel(), s.event(), record.timestamp(), headers));
    }
  }

  /** The original bytes, with the reason and the source in headers. */
  private static final class DeadLetterProcessor implements FixedKeyProcessor<byte[], Scored, byte[]> {
    private FixedKeyProcessorContext<byte[], byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Scored> record) {
      Scored s = record.value();
      RecordHeaders headers = new RecordHeaders(record.headers().toArray());
      DeadLetters.describe(headers, s.rejection(), s.reason(), "score", s.sourceTopic(), s.sourcePartition(),
          s.sourceOffset());
      context.forward(record.withValue(s.originalValue()).withHeaders(headers));
    }
  }
}
