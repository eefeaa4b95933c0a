package dev.tributary.registry;

import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/** A real (embedded KRaft) broker for the tests of a class, a fresh topic name per test, and raw producers. */
abstract class BrokerTestBase {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    static EmbeddedKafka kafka;
    static Map<String, Object> client;
    final AvroCodec<dev.tributary.schema.RegistryRecord> codec =
            TributarySerdes.registryRecord().codec();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static String topic(TestInfo info) {
        return "registry-" + info.getTestMethod().orElseThrow().getName() + "-" + TOPICS.incrementAndGet();
    }

    static KafkaProducer<byte[], byte[]> rawProducer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.REGISTRY_MAX_MESSAGE_BYTES);
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
