package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.EventPublisher;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The functions against the official Kafka image; runs only where a Docker engine answers. Events flow
 * through it: every one gets its prediction, and the labelled ones train a new version.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaIT {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(TestBroker.KAFKA_IMAGE);

    @Test
    void eventsAreScoredAndLearnedFromAgainstTheOfficialImage(@TempDir Path stateDir) throws Exception {
        Map<String, Object> client = Map.of("bootstrap.servers", KAFKA.getBootstrapServers());
        int events = 500;
        try (FunctionsRunner functions =
                        FunctionsRunner.start(FunctionsRunner.Config.local(KAFKA.getBootstrapServers(), stateDir));
                ModelRegistry registry =
                        new ModelRegistry(client, Topics.defaults().models());
                Outputs outputs = new Outputs(client, Topics.defaults(), "tc-outputs")) {
            registry.createModel(ModelVersions.defaultSpec("tc", Algorithm.LINEAR_REGRESSION, List.of("x1", "x2"))
                    .setPublishEvery(100)
                    .build());
            assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
            List<String> ids = new ArrayList<>();
            try (EventPublisher out =
                    new EventPublisher(client, Topics.defaults().events(), 0)) {
                Random random = new Random(7);
                for (int i = 0; i < events; i++) {
                    double x1 = random.nextGaussian();
                    double x2 = random.nextGaussian();
                    Event e = Event.newBuilder()
                            .setId("tc-" + i)
                            .setModel("tc")
                            .setFeatures(Map.of("x1", x1, "x2", x2))
                            .setLabel(3 * x1 - x2)
                            .setTimestamp(System.currentTimeMillis())
                            .build();
                    out.send(e);
                    ids.add(e.getId());
                }
                out.flush();
            }
            outputs.readUntil(events, 0, Duration.ofSeconds(90), Duration.ofSeconds(2));
            assertThat(outputs.predictionsPerEvent())
                    .containsOnlyKeys(ids)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(Outputs.settledExamplesSeen(registry, Map.of("tc", events), Duration.ofSeconds(60)))
                    .containsEntry("tc", (long) events);
        }
    }
}
