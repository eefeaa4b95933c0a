package dev.tributary.registry;

import static dev.tributary.registry.Fixtures.record;
import static dev.tributary.registry.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.Vectors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Following the registry topic ({@link RegistryFollower} over {@link TopicFollower}) on a real broker. */
class RegistryFollowerTest extends BrokerTestBase {
    @Test
    void aFollowerSeesANewVersionWithinASecond(TestInfo info) throws Exception {
        String topic = topic(info);
        try (ModelRegistry registry = new ModelRegistry(client, topic);
                RegistryFollower follower = new RegistryFollower(client, topic).start()) {
            ModelSpec spec = Fixtures.spec("live").build();
            registry.createModel(spec);
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
            assertThat(follower.view().latest("live"))
                    .map(ModelVersion::getVersion)
                    .contains(0L);

            CountDownLatch seen = new CountDownLatch(1);
            follower.view().addListener(m -> {
                if (follower.view().latest("live").map(ModelVersion::getVersion).orElse(-1L) == 1L) {
                    seen.countDown();
                }
            });
            ModelCache<double[]> cache = new ModelCache<>(follower.view(), v -> Vectors.fromBytes(v.getWeights()));
            assertThat(cache.get("live").version().getVersion()).isZero();
            registry.publishVersion(version(spec, 1));
            assertThat(seen.await(1, TimeUnit.SECONDS))
                    .as("version 1 reached the follower within 1 s")
                    .isTrue();
            assertThat(cache.get("live").version().getVersion()).isEqualTo(1L);
            assertThat(cache.get("live").model()).containsOnly(1.0);
            assertThat(cache.decodeCount()).isEqualTo(2);
        }
    }

    @Test
    void awaitCaughtUpCoversEverythingWrittenBeforeTheCall(TestInfo info) throws Exception {
        String topic = topic(info);
        RegistryFollower notStarted = new RegistryFollower(client, topic);
        assertThatThrownBy(() -> notStarted.awaitCaughtUp(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
        notStarted.close();

        try (RegistryFollower early = new RegistryFollower(client, topic).start()) {
            assertThat(early.awaitCaughtUp(Duration.ofSeconds(10)))
                    .as("no topic yet: nothing to be behind")
                    .isTrue();
            assertThat(early.view().models()).isEmpty();
        }
        try (Admin admin = Admin.create(client)) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .as("reading never creates the topic")
                    .doesNotContain(topic);
            Topics.create(admin, List.of(Topics.registryTopic(topic)));
        }

        ModelSpec spec = Fixtures.spec("bulk").build();
        try (KafkaProducer<byte[], byte[]> producer = rawProducer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, utf8(RegistryKeys.spec("bulk")), codec.encode(record(spec))));
            for (long v = 0; v < 200; v++) {
                producer.send(new ProducerRecord<>(
                        topic, utf8(RegistryKeys.version("bulk", v)), codec.encode(record(version(spec, v)))));
            }
            producer.flush();
        }
        RegistryFollower follower = new RegistryFollower(client, topic).start();
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        assertThat(follower.view().versions("bulk")).hasSize(200);
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10)))
                .as("again, with nothing new")
                .isTrue();
        follower.close();
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(1))).as("closed").isFalse();
    }

    @Test
    void readsOnlyCommittedRecords(TestInfo info) throws Exception {
        String topic = topic(info);
        try (ModelRegistry registry = new ModelRegistry(client, topic)) {
            ModelSpec spec = Fixtures.spec("tx").build();
            registry.createModel(spec);
            try (KafkaProducer<byte[], byte[]> producer =
                    rawProducer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(
                        topic, utf8(RegistryKeys.version("tx", 1)), codec.encode(record(version(spec, 1)))));
                producer.flush();
                assertThat(registry.versions("tx").keySet())
                        .as("open transaction: not visible, and not waited for")
                        .containsExactly(0L);
                producer.commitTransaction();
            }
            // The commit markers reach the partition shortly after commitTransaction() returns.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (registry.versions("tx").size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(registry.versions("tx").keySet()).containsExactly(0L, 1L);
        }
    }

    @Test
    void skipsRecordsItCannotUse(TestInfo info) throws Exception {
        String topic = topic(info);
        try (Admin admin = Admin.create(client)) {
            Topics.create(admin, List.of(Topics.registryTopic(topic)));
        }
        ModelSpec spec = Fixtures.spec("ok").build();
        try (KafkaProducer<byte[], byte[]> producer = rawProducer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, utf8(RegistryKeys.version("ok", 0)), utf8("not avro")));
            producer.send(new ProducerRecord<>(topic, utf8("no/such/key/form"), codec.encode(record(spec))));
            producer.send(new ProducerRecord<>(topic, utf8(RegistryKeys.spec("other")), codec.encode(record(spec))));
            producer.send(new ProducerRecord<>(topic, utf8(RegistryKeys.spec("ok")), codec.encode(record(spec))));
            producer.send(new ProducerRecord<>(
                    topic, utf8(RegistryKeys.version("ok", 1)), codec.encode(record(version(spec, 1)))));
            producer.flush();
        }
        try (RegistryFollower follower = new RegistryFollower(client, topic).start()) {
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
            assertThat(follower.view().models()).containsExactly("ok");
            assertThat(follower.view().versions("ok").keySet()).containsExactly(1L);
        }
    }
}
