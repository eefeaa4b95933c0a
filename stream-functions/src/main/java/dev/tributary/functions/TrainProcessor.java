package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train function: labelled events, keyed by model (so one task writes each model), update
 * that model's learner; every {@code publishEvery} examples or {@code publishIntervalMs} a new
 * version goes to the registry topic. The learner's state is written to a changelogged store
 * after every example, in the same transaction as the input offsets and the versions, so an
 * instance that dies is replaced with nothing learned twice or lost.
 */
final class TrainProcessor implements Processor<String, Event, String, RegistryRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainProcessor.class);

  private final ModelCatalog catalog;
  private final String storeName;
  private final String instanceId;
  private final Duration unknownModelWait;
  private final FunctionStats stats;
  private final FeatureVector x = new FeatureVector(64);
  private final Map<String, Training> training = new HashMap<>();
  private ProcessorContext<String, RegistryRecord> context;
  private KeyValueStore<String, TrainerState> store;

  TrainProcessor(ModelCatalog catalog, String storeName, String instanceId, Duration unknownModelWait,
      FunctionStats stats) {
    this.catalog = catalog;
    this.storeName = storeName;
    this.instanceId = instanceId;
    this.unknownModelWait = unknownModelWait;
    this.stats = stats;
  }

  /** A model being trained here: its spec, learner and what it has learned since its last version. */
  private static final class Training {
    final ModelSpec spec;
    final Featurizer featurizer;
    final Learner learner;
    TrainerState state;
    final Map<String, OffsetRange> ranges = new HashMap<>();

    Training(ModelSpec spec, Learner learner, TrainerState state) {
      this.spec = spec;
      this.featurizer = new Featurizer(spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits());
      this.learner = learner;
      this.state = state;
      for (OffsetRange r : state.getCurrent().getSourceOffsets()) {
        ranges.put(r.getTopic() + "/" + r.getPartition(), r);
      }
    }
  }

  @Override
  public void init(ProcessorContext<String, RegistryRecord> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    training.clear();
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::publishDue);
  }

  @Override
  public void process(Record<String, Event> record) {
    Event event = record.value();
    Training t = training(event.getModel());
    if (t == null) {
      return;
    }
    String problem = t.featurizer.fill(event.getFeatures(), event.getCategories(), x);
    if (problem != null) {
      LOG.warn("Model '{}' skipped event '{}': {}", event.getModel(), event.getId(), problem);
      return;
    }
    if (t.learner.learn(x, event.getLabel())) {
      stats.learned.increment();
    } else {
      stats.updatesRejected.increment();
      LOG.warn("Model '{}' rejected the update from event '{}': it would make the weights non-finite or explode",
          event.getModel(), event.getId());
    }
    SourceHeaders.source(record.headers()).ifPresent(s -> extend(t, s));
    long now = context.currentSystemTimeMs();
    t.state = new TrainerState(current(t, t.state.getCurrent().getVersion(), now), t.state.getPublishedExamples(),
        t.state.getPublishedAt());
    if (t.learner.examplesSeen() - t.state.getPublishedExamples() >= t.spec.getPublishEvery()) {
      publish(t, now);
    }
    store.put(event.getModel(), t.state);
  }

  private Training training(String model) {
    Training t = training.get(model);
    if (t != null) {
      return t;
    }
    ModelSpec spec = catalog.spec(model).orElse(null);
    if (spec == null && catalog.awaitCaughtUp(unknownModelWait)) {
      spec = catalog.spec(model).orElse(null);
    }
    if (spec == null) {
      LOG.warn("Model '{}' is not in the registry (retired?): its training events are skipped", model);
      return null;
    }
    TrainerState state = store.get(model);
    if (state == null) {
      ModelVersion latest = catalog.latest(model).orElseThrow(
          () -> new IllegalStateException("model '" + model + "' has a spec but no version"));
      state = new TrainerState(latest, latest.getExamplesSeen(), context.currentSystemTimeMs());
    }
    t = new Training(spec, ModelVersions.learnerOf(spec, state.getCurrent()), state);
    training.put(model, t);
    return t;
  }

  private static void extend(Training t, SourceHeaders.Source s) {
    t.ranges.merge(s.topic() + "/" + s.partition(), new OffsetRange(s.topic(), s.partition(), s.offset(), s.offset()),
        (old, now) -> new OffsetRange(old.getTopic(), old.getPartition(),
            Math.min(old.getFromOffset(), s.offset()), Math.max(old.getToOffset(), s.offset())));
  }

  private ModelVersion current(Training t, long version, long now) {
    ModelVersion last = t.state.getCurrent();
    return ModelVersions.versionOf(t.spec.getName(), version, t.learner.snapshot(), last.getParentVersion(),
        new ArrayList<>(t.ranges.values()), producedBy(), now, t.learner.metrics().values());
  }

  private void publish(Training t, long now) {
    long parent = t.state.getCurrent().getVersion();
    long next = parent + 1;
    ModelVersion version = ModelVersions.versionOf(t.spec.getName(), next, t.learner.snapshot(), parent,
        new ArrayList<>(t.ranges.values()), producedBy(), now, t.learner.metrics().values());
    context.forward(new Record<>(RegistryKeys.version(t.spec.getName(), next), new RegistryRecord(version), now));
    stats.versionsPublished.increment();
    t.ranges.clear();
    ModelVersion published = ModelVersion.newBuilder(version).setSourceOffsets(List.of()).build();
    t.state = new TrainerState(published, t.learner.examplesSeen(), now);
    LOG.info("Model '{}' published version {} after {} examples ({})", t.spec.getName(), next,
        t.learner.examplesSeen(), t.learner.metrics().values());
  }

  private void publishDue(long now) {
    for (Training t : training.values()) {
      boolean pending = t.learner.examplesSeen() > t.state.getPublishedExamples();
      if (pending && now - t.state.getPublishedAt() >= t.spec.getPublishIntervalMs()) {
        publish(t, now);
        store.put(t.spec.getName(), t.state);
      }
    }
  }

  private String producedBy() {
    return instanceId + "/" + context.taskId();
  }
}
