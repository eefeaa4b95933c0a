package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Learner;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.ShadowPrediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow scoring: three versions of one model trained differently; champion on one, challenger on
 * another, the spec's shadow alias "blue" on the third. Each prediction carries the champion's answer
 * and the shadows', each equal to what that version alone predicts.
 */
class ShadowScoringTest {
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path stateDir;
  private final RegistryView view = new RegistryView();
  private final ModelSpec spec = ModelVersions.defaultSpec("risk", Algorithm.LOGISTIC_REGRESSION, List.of("a", "b"))
      .setShadowAliases(List.of("blue")).build();

  /** A version trained on 200 examples whose label follows the sign of {@code weight}·a. */
  private ModelVersion trained(long number, double weight) {
    Learner learner = ModelVersions.learnerOf(spec, ModelSpecs.initialVersion(spec, 1L));
    FeatureVector x = new FeatureVector(4);
    Random random = new Random(number);
    ServingModel featurizing = ServingModel.decode(spec, ModelSpecs.initialVersion(spec, 1L));
    for (int i = 0; i < 200; i++) {
      double a = random.nextGaussian();
      featurizing.featurize(Map.of("a", a, "b", random.nextGaussian()), Map.of(), x);
      learner.learn(x, weight * a > 0 ? 1 : 0);
    }
    return ModelVersions.versionOf("risk", number, learner.snapshot(), number - 1, List.of(), "test", 1L, Map.of());
  }

  private void alias(String alias, long version) {
    view.apply(RegistryKeys.alias("risk", alias), new RegistryRecord(new ModelAlias("risk", alias, version, 1L)));
  }

  @Test
  void shadowPredictionsEqualWhatEachVersionAlonePredicts() {
    view.apply(RegistryKeys.spec("risk"), new RegistryRecord(spec));
    Map<Long, ModelVersion> versions = Map.of(1L, trained(1, 1), 2L, trained(2, -1), 3L, trained(3, 0.5));
    versions.forEach((n, v) -> view.apply(RegistryKeys.version("risk", n), new RegistryRecord(v)));
    alias("champion", 1);
    alias("challenger", 2);
    alias("blue", 3);
    alias("green", 3); // not a shadow: neither the challenger nor in the spec

    List<Prediction> predictions = score(Map.of("a", 0.7, "b", -1.2), Map.of("a", -2.0, "b", 0.4));
    for (Prediction p : predictions) {
      assertThat(p.getModelVersion()).isEqualTo(1);
      assertThat(p.getShadows()).extracting(ShadowPrediction::getAlias).containsExactly("challenger", "blue");
      for (ShadowPrediction s : p.getShadows()) {
        Prediction alone = alone(versions.get(s.getVersion()), p);
        assertThat(s.getValue()).isEqualTo(alone.getValue());
        assertThat(s.getPredictedClass()).isEqualTo(alone.getPredictedClass());
      }
      assertThat(p.getShadows().get(0).getVersion()).isEqualTo(2);
      assertThat(p.getShadows().get(1).getVersion()).isEqualTo(3);
      assertThat(p.getValue()).isEqualTo(alone(versions.get(1L), p).getValue());
    }
    assertThat(predictions.get(0).getShadows().get(0).getValue())
        .isNotEqualTo(predictions.get(0).getValue()); // the versions really differ
  }

  @Test
  void noShadowsWithoutAliasesOrWhenTheyPointAtTheServingVersion() {
    view.apply(RegistryKeys.spec("risk"), new RegistryRecord(spec));
    view.apply(RegistryKeys.version("risk", 1), new RegistryRecord(trained(1, 1)));
    assertThat(score(Map.of("a", 1.0, "b", 1.0)).get(0).getShadows()).isNull();
    alias("challenger", 1); // the latest, which is served
    assertThat(score(Map.of("a", 1.0, "b", 1.0)).get(0).getShadows()).isNull();
  }

  /** What the version alone predicts for the event behind {@code p}. */
  private Prediction alone(ModelVersion version, Prediction p) {
    ServingModel model = ServingModel.decode(spec, version);
    FeatureVector x = new FeatureVector(4);
    model.featurize(sent.get(p.getEventId()), Map.of(), x);
    return model.predict(p.getEventId(), x, 0, 0);
  }

  private final Map<String, Map<String, Double>> sent = new java.util.HashMap<>();

  @SafeVarargs
  private List<Prediction> score(Map<String, Double>... features) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(FunctionsTopology.build(TOPICS,
        new ModelCatalog(view, timeout -> true), FunctionsTopology.Settings.defaults("test"), new FunctionStats(),
        false), props)) {
      TestInputTopic<byte[], byte[]> events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(),
          new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(TOPICS.predictions(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      for (int i = 0; i < features.length; i++) {
        String id = "e" + sent.size();
        sent.put(id, features[i]);
        String json = "{\"id\":\"" + id + "\",\"model\":\"risk\",\"features\":{\"a\":" + features[i].get("a")
            + ",\"b\":" + features[i].get("b") + "}}";
        events.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
      }
      return out.readValuesToList().stream().map(v -> AvroCodec.of(Prediction.class).decode(v)).toList();
    }
  }
}
