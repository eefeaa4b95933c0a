package dev.tributary.it;

import dev.tributary.kafka.EmbeddedKafka;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real broker an integration test runs against: Testcontainers' Kafka (the official
 * {@code apache/kafka} image) when a Docker engine answers, else the embedded KRaft broker.
 * Never a mock.
 */
final class TestBroker implements AutoCloseable {
    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private final EmbeddedKafka embedded;
    private final KafkaContainer container;

    private TestBroker(EmbeddedKafka embedded, KafkaContainer container) {
        this.embedded = embedded;
        this.container = container;
    }

    static TestBroker start() {
        if (dockerAvailable()) {
            KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
            kafka.start();
            return new TestBroker(null, kafka);
        }
        return new TestBroker(EmbeddedKafka.start(), null);
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    String bootstrapServers() {
        return embedded != null ? embedded.bootstrapServers() : container.getBootstrapServers();
    }

    String kind() {
        return embedded != null ? "embedded KRaft broker" : "Testcontainers " + KAFKA_IMAGE;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        } else {
            container.stop();
        }
    }

    /** Closes each resource that is there (not null), in the order given: what a test's {@code @AfterAll} does. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable r : resources) {
            if (r != null) {
                r.close();
            }
        }
    }
}
