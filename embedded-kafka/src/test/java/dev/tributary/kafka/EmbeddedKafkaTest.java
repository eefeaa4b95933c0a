package dev.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Tests against one shared broker (started once for the class to keep the module fast). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EmbeddedKafkaTest {

    private EmbeddedKafka kafka;
    private long startMillis;

    @BeforeAll
    void startBroker() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        startMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.println("EmbeddedKafka.start() took " + startMillis + " ms");
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            Path dir = kafka.dataDir();
            kafka.close();
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void listensOnLoopbackWithTempDir() {
        assertThat(kafka.port()).isPositive();
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
        assertThat(kafka.dataDir()).isDirectory();
        assertThat(kafka.isRunning()).isTrue();
    }

    @Test
    void adminCanDescribeClusterRightAfterStart() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var nodes = admin.describeCluster().nodes().get();
            assertThat(nodes).hasSize(1);
            assertThat(nodes.iterator().next().host()).isEqualTo("127.0.0.1");
            assertThat(nodes.iterator().next().port()).isEqualTo(kafka.port());
        }
    }

    @Test
    void producesAndConsumesWithPlainClients() throws Exception {
        String topic = "plain";
        try (KafkaProducer<String, String> producer = KafkaTestSupport.producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "k1", "hello")).get();
        }
        try (KafkaConsumer<String, String> consumer = KafkaTestSupport.consumer(kafka, Map.of())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertThat(got).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("k1");
                assertThat(r.value()).isEqualTo("hello");
            });
            consumer.commitSync();
        }
    }

    @Test
    void transactionalProducerCommitsAndReadCommittedSeesOnlyCommitted() throws Exception {
        String topic = "tx";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = KafkaTestSupport.producer(
                kafka,
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "tx-test",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted")).get(); // really written, then aborted
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }
        var committed =
                KafkaTestSupport.readAll(kafka, topic, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        assertThat(KafkaTestSupport.values(committed)).containsExactly("committed");
        var uncommitted = KafkaTestSupport.readAll(
                kafka, topic, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
        assertThat(KafkaTestSupport.values(uncommitted)).containsExactly("aborted", "committed");
    }

    @Test
    void compactedTopicActuallyCompacts() throws Exception {
        String topic = "compacted";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(
                                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                    TopicConfig.SEGMENT_MS_CONFIG, "100",
                                    TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(1024 * 1024),
                                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
                                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"))))
                    .all()
                    .get();
        }
        try (KafkaProducer<String, String> producer = KafkaTestSupport.producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "k", "old")).get();
            // Still in the active segment, which the cleaner never touches.
            assertThat(KafkaTestSupport.values(KafkaTestSupport.readAll(kafka, topic, Map.of())))
                    .containsExactly("old");
            // segment.ms=100: each send after a pause rolls a new segment, so the old values end
            // up in closed (cleanable) segments and only the last filler sits in the active one.
            for (String[] kv : new String[][] {{"other", "x"}, {"k", "new"}, {"filler", "1"}, {"filler", "2"}}) {
                Thread.sleep(150);
                producer.send(new ProducerRecord<>(topic, kv[0], kv[1])).get();
            }
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<ConsumerRecord<String, String>> records;
        do {
            Thread.sleep(500);
            records = KafkaTestSupport.readAll(kafka, topic, Map.of());
        } while (KafkaTestSupport.values(records).contains("old") && System.nanoTime() < deadline);

        assertThat(records)
                .filteredOn(r -> r.key().equals("k"))
                .extracting(ConsumerRecord::value)
                .containsExactly("new");
        assertThat(records).extracting(ConsumerRecord::offset).doesNotContain(0L);
        assertThat(records)
                .filteredOn(r -> r.key().equals("other"))
                .extracting(ConsumerRecord::value)
                .containsExactly("x");
    }

    @Test
    void startsFast() {
        // Generous bound for slow CI machines; the typical value is printed above.
        assertThat(startMillis).isLessThan(20_000);
        assertThat(Files.exists(kafka.dataDir().resolve("logs").resolve("meta.properties")))
                .isTrue();
    }
}
