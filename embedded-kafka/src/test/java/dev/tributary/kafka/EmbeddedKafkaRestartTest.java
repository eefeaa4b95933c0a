package dev.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class EmbeddedKafkaRestartTest {

    private static final Map<String, Object> READ_COMMITTED =
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

    @TempDir
    Path dir;

    @Test
    void restartOnSameDataDirKeepsCommittedRecords() throws Exception {
        Path dataDir = dir.resolve("kafka");
        String topic = "durable";
        int port;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Config(0, dataDir, Map.of()))) {
            port = kafka.port();
            assertThat(kafka.dataDir()).isEqualTo(dataDir.toAbsolutePath());
            try (KafkaProducer<String, String> producer =
                    KafkaTestSupport.producer(kafka, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-test"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "before-restart"));
                producer.commitTransaction();
            }

            // stop() + restart(): same port, same data.
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            long t0 = System.nanoTime();
            kafka.restart();
            System.out.println("EmbeddedKafka.restart() took "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            assertThat(kafka.port()).isEqualTo(port);
            assertThat(KafkaTestSupport.values(KafkaTestSupport.readAll(kafka, topic, READ_COMMITTED)))
                    .containsExactly("before-restart");

            try (KafkaProducer<String, String> producer = KafkaTestSupport.producer(kafka, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", "after-restart")).get();
            }
        }
        // A caller-supplied data dir survives close() ...
        assertThat(dataDir.resolve("logs").resolve("meta.properties")).exists();

        // ... and a brand new instance reuses it without reformatting, on the same fixed port.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Config(port, dataDir, Map.of()))) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(KafkaTestSupport.values(KafkaTestSupport.readAll(kafka, topic, READ_COMMITTED)))
                    .containsExactly("before-restart", "after-restart");
        }
    }

    @Test
    void twoBrokersCanRunSideBySideInOneJvm() throws Exception {
        try (EmbeddedKafka a = EmbeddedKafka.start();
                EmbeddedKafka b = EmbeddedKafka.start(EmbeddedKafka.Config.defaults()
                        .withOverrides(Map.of("log.segment.bytes", String.valueOf(1024 * 1024))))) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.dataDir()).isNotEqualTo(b.dataDir());
            for (EmbeddedKafka kafka : new EmbeddedKafka[] {a, b}) {
                try (KafkaProducer<String, String> producer = KafkaTestSupport.producer(kafka, Map.of())) {
                    producer.send(new ProducerRecord<>("side", "k", kafka.bootstrapServers()))
                            .get();
                }
                assertThat(KafkaTestSupport.values(KafkaTestSupport.readAll(kafka, "side", Map.of())))
                        .containsExactly(kafka.bootstrapServers());
            }
        }
    }
}
