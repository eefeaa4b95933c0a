package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import dev.tributary.schema.serde.Vectors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A train task that dies between two publications is rebuilt from its checkpoint and journal into
 * exactly the learner it was: the versions it publishes afterwards are those of a task that never
 * stopped.
 */
class TrainRecoveryTest {
  private static final ModelSpec SPEC = ModelVersions.defaultSpec("m", Algorithm.LOGISTIC_REGRESSION,
      List.of("a", "b")).setPublishEvery(1000).setPublishIntervalMs(3_600_000).build();

  private final RegistryView view = new RegistryView();
  private final ModelCatalog catalog = new ModelCatalog(view, timeout -> true);

  TrainRecoveryTest() {
    view.apply(RegistryKeys.spec("m"), new RegistryRecord(SPEC));
    view.apply(RegistryKeys.version("m", 0), new RegistryRecord(ModelRegistry.initialVersion(SPEC, 1L)));
  }

  /** A task's stores, which outlive its processor as the changelog outlives an instance. */
  private static final class TaskStores {
    final MockProcessorContext<String, RegistryRecord> context = new MockProcessorContext<>();
    final KeyValueStore<String, TrainerState> state = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(FunctionsTopology.TRAINER_STORE), Serdes.String(),
        TributarySerdes.trainerState()).withLoggingDisabled().build();
    final KeyValueStore<String, TrainingExample> journal = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(FunctionsTopology.TRAINER_JOURNAL), Serdes.String(),
        TributarySerdes.trainingExample()).withLoggingDisabled().build();

    TaskStores() {
      context.setCurrentSystemTimeMs(1_000L);
      state.init(context.getStateStoreContext(), state);
      journal.init(context.getStateStoreContext(), journal);
      context.addStateStore(state);
      context.addStateStore(journal);
    }
  }

  private TrainProcessor processor(TaskStores stores) {
    TrainProcessor p = new TrainProcessor(catalog, FunctionsTopology.TRAINER_STORE, FunctionsTopology.TRAINER_JOURNAL,
        "test", Duration.ZERO, Integer.MAX_VALUE, new FunctionStats());
    p.init(stores.context);
    return p;
  }

  private static List<Event> events(int n) {
    Random random = new Random(5);
    List<Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      double a = 10 + 3 * random.nextGaussian();
      double b = random.nextGaussian();
      double label = 0.8 * (a - 10) - b + random.nextGaussian() > 0 ? 1.0 : 0.0;
      events.add(Event.newBuilder().setId("e" + i).setModel("m").setFeatures(Map.of("a", a, "b", b))
          .setLabel(label).setTimestamp(i).build());
    }
    return events;
  }

  private static List<ModelVersion> versions(TaskStores stores) {
    return stores.context.forwarded().stream().map(f -> f.record().value().getEntry())
        .filter(ModelVersion.class::isInstance).map(ModelVersion.class::cast).toList();
  }

  @Test
  void aTaskRebuiltFromCheckpointAndJournalPublishesWhatAnUninterruptedOneWould() {
    List<Event> events = events(3000);

    TaskStores steady = new TaskStores();
    TrainProcessor uninterrupted = processor(steady);
    events.forEach(e -> uninterrupted.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));

    TaskStores crashing = new TaskStores();
    TrainProcessor first = processor(crashing);
    events.subList(0, 1700).forEach(e -> first.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));
    // The task dies 700 examples after its last checkpoint; its replacement starts from the stores.
    TrainProcessor second = processor(crashing);
    events.subList(1700, 3000).forEach(e -> second.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));

    List<ModelVersion> expected = versions(steady);
    List<ModelVersion> actual = versions(crashing);
    assertThat(actual).extracting(ModelVersion::getVersion).containsExactly(1L, 2L, 3L);
    assertThat(actual).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 2000L, 3000L);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).getMetrics()).isEqualTo(expected.get(i).getMetrics());
      assertThat(Vectors.fromBytes(actual.get(i).getWeights())).containsExactly(
          Vectors.fromBytes(expected.get(i).getWeights()));
      assertThat(actual.get(i).getBias()).isEqualTo(expected.get(i).getBias());
    }
  }

  @Test
  void aJournalOfDecodedEventsLeftByTheFirstReleaseIsReplayedToo() {
    List<Event> events = events(3000);

    TaskStores steady = new TaskStores();
    TrainProcessor uninterrupted = processor(steady);
    events.forEach(e -> uninterrupted.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));

    TaskStores upgraded = new TaskStores();
    TrainProcessor old = processor(upgraded);
    events.subList(0, 1700).forEach(e -> old.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));
    // Rewrite the journal as the first release wrote it: the decoded event, no input bytes.
    List<org.apache.kafka.streams.KeyValue<String, TrainingExample>> entries = new java.util.ArrayList<>();
    try (var all = upgraded.journal.all()) {
      all.forEachRemaining(entries::add);
    }
    for (var entry : entries) {
      TrainingExample example = entry.value;
      byte[] bytes = new byte[example.getValue().remaining()];
      example.getValue().duplicate().get(bytes);
      upgraded.journal.put(entry.key, TrainingExample.newBuilder().setSequence(example.getSequence())
          .setEvent(AvroCodec.of(Event.class).decode(bytes)).setSource(example.getSource()).build());
    }
    TrainProcessor next = processor(upgraded);
    events.subList(1700, 3000).forEach(e -> next.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));

    List<ModelVersion> expected = versions(steady);
    List<ModelVersion> actual = versions(upgraded);
    assertThat(actual).extracting(ModelVersion::getExamplesSeen).containsExactly(1000L, 2000L, 3000L);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(Vectors.fromBytes(actual.get(i).getWeights())).containsExactly(
          Vectors.fromBytes(expected.get(i).getWeights()));
    }
  }

  @Test
  void theJournalHoldsOnlyTheExamplesSinceTheLastCheckpoint() {
    TaskStores stores = new TaskStores();
    TrainProcessor p = processor(stores);
    events(1250).forEach(e -> p.process(new Record<>("m", AvroCodec.of(Event.class).encode(e), e.getTimestamp())));
    assertThat(stores.state.get("m").getCurrent().getExamplesSeen()).isEqualTo(1000);
    long live = 0;
    try (var all = stores.journal.all()) {
      while (all.hasNext()) {
        if (all.next().value.getSequence() > 1000) {
          live++;
        }
      }
    }
    assertThat(live).isEqualTo(250);
  }
}
