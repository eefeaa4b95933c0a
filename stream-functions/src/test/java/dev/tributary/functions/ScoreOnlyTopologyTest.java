package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FunctionsTopology.build(..., false)}: the score function alone, as {@code tributary bench} measures it. */
class ScoreOnlyTopologyTest {
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    /** A catalog that serves one model, {@code spam} (logistic regression on {@code x1}). */
    static ModelCatalog catalogWithOneModel() {
        RegistryView view = new RegistryView();
        ModelSpec spec = ModelVersions.defaultSpec("spam", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .build();
        view.apply(RegistryKeys.spec("spam"), new RegistryRecord(spec));
        view.apply(RegistryKeys.version("spam", 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        return new ModelCatalog(view, timeout -> true);
    }

    @Test
    void hasNoTrainingPartAndStillScoresAndDeadLetters() {
        FunctionStats stats = new FunctionStats();
        Topology topology = FunctionsTopology.build(
                TOPICS, catalogWithOneModel(), FunctionsTopology.Settings.defaults("test"), stats, false);
        String description = topology.describe().toString();
        assertThat(description)
                .doesNotContain("train-by-model")
                .doesNotContain(FunctionsTopology.TRAINER_STORE)
                .doesNotContain(TOPICS.models());
        assertThat(topology.describe().subtopologies()).hasSize(1);

        Properties props = StandardTopologyDriver.props(stateDir);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
            var predictions = driver.createOutputTopic(
                    TOPICS.predictions(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            var deadLetters = driver.createOutputTopic(
                    TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            events.pipeInput(
                    "e1".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":\"e1\",\"model\":\"spam\",\"features\":{\"x1\":2},\"label\":1}"
                            .getBytes(StandardCharsets.UTF_8));
            events.pipeInput("e2".getBytes(StandardCharsets.UTF_8), "not an event".getBytes(StandardCharsets.UTF_8));
            Prediction p = AvroCodec.of(Prediction.class).decode(predictions.readValue());
            assertThat(p.getEventId()).isEqualTo("e1");
            assertThat(p.getModelVersion()).isZero();
            assertThat(predictions.isEmpty()).isTrue();
            assertThat(deadLetters.readValue()).isEqualTo("not an event".getBytes(StandardCharsets.UTF_8));
            assertThat(stats.learned.sum()).isZero();
        }
    }

    @Test
    void eachOutcomeOfTheScoreFunctionTakesOneBranch() {
        Topology topology = FunctionsTopology.build(
                TOPICS, catalogWithOneModel(), FunctionsTopology.Settings.defaults("test"), new FunctionStats());
        TopologyDescription.Node score = topology.describe().subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .filter(n -> n.name().equals("score"))
                .findFirst()
                .orElseThrow();
        assertThat(score.successors())
                .singleElement()
                .satisfies(branch -> assertThat(branch.successors())
                        .extracting(TopologyDescription.Node::name)
                        .containsExactlyInAnyOrder("outcome-accepted", "outcome-rejected", "outcome-usage-records"));
    }

    @Test
    void theFourArgumentBuildStillTrains() {
        Topology topology = FunctionsTopology.build(
                TOPICS, catalogWithOneModel(), FunctionsTopology.Settings.defaults("test"), new FunctionStats());
        assertThat(topology.describe().toString()).contains("train-by-model").contains(FunctionsTopology.TRAINER_STORE);
    }
}
