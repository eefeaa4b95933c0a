package dev.tributary.functions;

import dev.tributary.model.ModelVersions;
import dev.tributary.model.ModelSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Functions of one file sharing a trigger topic, their retries and timeouts, and their batch size, one topology each. */
class FunctionRoutingTest {
  static final Topics TOPICS = Topics.defaults();
  static final String FILE = """
      functions:
        - name: quotes
          kind: score
          trigger: {topics: [in]}
          models: [prices]
          output: quotes.out
        - name: spam
          trigger: {topics: [in]}
          models: [spam]
          output: spam.out
          batchSize: 3
        - name: flaky
          trigger: {pattern: "flaky\\\\..*"}
          retries: 2
          backoff: 1ms
        """;

  @TempDir Path stateDir;
  final RegistryView view = new RegistryView();

  FunctionRoutingTest() {
    for (String model : List.of("prices", "spam")) {
      ModelSpec spec = ModelVersions.defaultSpec(model, Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
          .setPublishEvery(1000).setPublishIntervalMs(3_600_000).build();
      view.apply(RegistryKeys.spec(model), new RegistryRecord(spec));
      view.apply(RegistryKeys.version(model, 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
    }
  }

  /** One function of {@link #FILE} in a test driver, its registry lookups made by {@code awaitCaughtUp}. */
  private TopologyTestDriver driver(String name, Function<Duration, Boolean> awaitCaughtUp) throws Exception {
    Routing routing = FunctionSpecReader.read(FILE, "functions.yaml").routings().stream()
        .filter(r -> r.self().name().equals(name)).findFirst().orElseThrow();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, routing.self().applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
    return new TopologyTestDriver(FunctionsTopology.build(TOPICS, new ModelCatalog(view, awaitCaughtUp),
        FunctionsTopology.Settings.defaults("test"), new FunctionStats(), routing), props);
  }

  private static void send(TopologyTestDriver driver, String topic, String model, String id, Integer label) {
    String json = "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"features\":{\"x1\":1}"
        + (label == null ? "" : ",\"label\":" + label) + "}";
    driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> predictedIds(TopologyTestDriver driver, String topic) {
    return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .readValuesToList().stream().map(v -> AvroCodec.of(Prediction.class).decode(v).getEventId()).toList();
  }

  private static List<TestRecord<byte[], byte[]>> deadLetters(TopologyTestDriver driver) {
    return driver.createOutputTopic(TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .readRecordsToList();
  }

  private static void sendTheMix(TopologyTestDriver driver) {
    send(driver, "in", "prices", "p1", null);
    send(driver, "in", "spam", "s1", null);
    send(driver, "in", "nobody", "n1", null);
    driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput("junk".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachFunctionScoresItsModelsAndTheFirstOneDeadLettersWhatNoFunctionServes() throws Exception {
    try (TopologyTestDriver quotes = driver("quotes", t -> true)) {
      sendTheMix(quotes);
      assertThat(predictedIds(quotes, "quotes.out")).containsExactly("p1");
      assertThat(deadLetters(quotes)).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS))
          .containsExactly("NOT_SERVED", "UNDECODABLE");
    }
    try (TopologyTestDriver spam = driver("spam", t -> true)) {
      sendTheMix(spam);
      assertThat(predictedIds(spam, "spam.out")).containsExactly("s1");
      assertThat(deadLetters(spam)).as("quotes, first in the file, writes them").isEmpty();
    }
  }

  @Test
  void theBatchSizeOfTheFileReplacesTheModelsPublishEvery() throws Exception {
    try (TopologyTestDriver spam = driver("spam", t -> true)) {
      for (int i = 0; i < 7; i++) {
        send(spam, "in", "spam", "s" + i, i % 2);
      }
      List<ModelVersion> versions = spam.createOutputTopic(TOPICS.models(), new StringDeserializer(),
              TributarySerdes.registryRecord().deserializer()).readValuesToList().stream()
          .map(r -> r.getEntry()).filter(ModelVersion.class::isInstance).map(ModelVersion.class::cast).toList();
      assertThat(versions).extracting(ModelVersion::getExamplesSeen).containsExactly(3L, 6L);
    }
  }

  @Test
  void anEventThatKeepsFailingIsRetriedThenDeadLetteredWithItsAttempts() throws Exception {
    try (TopologyTestDriver flaky = driver("flaky", timeout -> {
      throw new IllegalStateException("registry unreachable");
    })) {
      send(flaky, "flaky.one", "unknown-model", "f1", null); // an unknown model makes scoring ask the registry
      send(flaky, "flaky.two", "spam", "f2", null);
      assertThat(predictedIds(flaky, TOPICS.predictions())).containsExactly("f2");
      TestRecord<byte[], byte[]> dead = deadLetters(flaky).get(0);
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS)).isEqualTo("FAILED");
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.ATTEMPTS)).isEqualTo("3");
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE))
          .isEqualTo("failed after 3 attempts: java.lang.IllegalStateException: registry unreachable");
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("flaky.one");
    }
  }

  @Test
  void retriesWaitLongerEachTimeUpToTheCap() throws Exception {
    FunctionSpec f = FunctionSpecReader.read("functions: [{name: a, backoff: 100ms, maxBackoff: 350ms}]", "f")
        .functions().get(0);
    Retries retries = new Retries(f);
    assertThat(List.of(retries.waitBefore(2), retries.waitBefore(3), retries.waitBefore(4), retries.waitBefore(5)))
        .containsExactly(100_000_000L, 200_000_000L, 350_000_000L, 350_000_000L);
  }
}
