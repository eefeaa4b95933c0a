package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The functions against the official Kafka image; runs only where a Docker engine answers. */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaIT {
  @Container
  static final KafkaContainer KAFKA = new KafkaContainer(TestBroker.KAFKA_IMAGE);

  @Test
  void functionsRunAndTheRegistryWorksAgainstTheOfficialImage(@TempDir Path stateDir) throws Exception {
    Map<String, Object> client = Map.of("bootstrap.servers", KAFKA.getBootstrapServers());
    try (FunctionsRunner functions = FunctionsRunner.start(FunctionsRunner.Config.local(KAFKA.getBootstrapServers(), stateDir));
        ModelRegistry registry = new ModelRegistry(client, Topics.defaults().models())) {
      registry.createModel(ModelVersions.defaultSpec("tc", Algorithm.LINEAR_SVM, List.of("a")).build());
      assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
      assertThat(registry.latest("tc")).isPresent();
    }
  }
}
