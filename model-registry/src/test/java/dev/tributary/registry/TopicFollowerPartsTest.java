package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The pieces a {@link TopicFollower} is made of, without a broker. */
class TopicFollowerPartsTest {

    @Test
    void theConsumerReadsCommittedFromTheStartWithoutAGroupAndNeverCreatesTheTopic() {
        Map<String, Object> config = TopicFollower.consumerConfig(
                Map.of(
                        "bootstrap.servers", "b:9092",
                        "group.id", "g",
                        "client.id", "app",
                        "security.protocol", "SSL",
                        "key.deserializer", "x"),
                7);
        assertThat(config)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("enable.auto.commit", false)
                .containsEntry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
                .containsEntry("client.id", "app-follower-7")
                .containsEntry("security.protocol", "SSL")
                .doesNotContainKeys("group.id", "key.deserializer");
    }

    @Test
    void aRecordTheSinkThrowsOnIsSkippedAndTheNextOneApplied() {
        List<Long> applied = new ArrayList<>();
        SkippingSink sink = new SkippingSink(r -> {
            if (r.offset() == 1) {
                throw new IllegalArgumentException("bad record");
            }
            applied.add(r.offset());
        });
        for (long offset = 0; offset < 3; offset++) {
            sink.apply(new ConsumerRecord<>("t", 0, offset, "k".getBytes(StandardCharsets.UTF_8), new byte[0]));
        }
        assertThat(applied).containsExactly(0L, 2L);
        assertThat(sink.applied()).isEqualTo(2);
        assertThat(sink.skipped()).isEqualTo(1);
    }

    @Test
    void keysAreLoggedPrintableAndShort() {
        assertThat(SkippingSink.printable(null)).isEqualTo("(null)");
        assertThat(SkippingSink.printable("a\nb\u0000c")).isEqualTo("a?b?c");
        assertThat(SkippingSink.printable("k".repeat(300))).hasSize(203).endsWith("...");
    }

    @Test
    void anOutageIsAProblemUntilTheBrokerAnswersAgain() {
        BrokerReachability reachability = new BrokerReachability("t", "b:9092");
        assertThat(reachability.problem()).isEmpty();
        reachability.unreachable(new RuntimeException("timed out"));
        assertThat(reachability.problem()).contains("the Kafka broker at b:9092 could not be reached");
        reachability.reachable();
        assertThat(reachability.problem()).isEmpty();
    }
}
