package dev.tributary.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/** Waits until a freshly started broker serves admin requests and creates topics. */
final class BrokerReadiness {
    private BrokerReadiness() {}

    /** Blocks until an admin client can describe the cluster and create (then delete) a topic. */
    static void await(String bootstrapServers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> adminProps = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        String probe = "__embedded_kafka_ready_" + Uuid.randomUuid();
        Exception last = null;
        try (Admin admin = Admin.create(adminProps)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster()
                            .nodes()
                            .get(10, TimeUnit.SECONDS)
                            .isEmpty()) {
                        throw new IllegalStateException("no broker registered yet");
                    }
                    try {
                        admin.createTopics(List.of(new NewTopic(probe, 1, (short) 1)))
                                .all()
                                .get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                    admin.deleteTopics(List.of(probe)).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
                } catch (Exception e) {
                    last = e;
                    EmbeddedKafka.sleep(100);
                }
            }
        }
        throw new IllegalStateException("Embedded Kafka on " + bootstrapServers + " not ready within " + timeout, last);
    }
}
