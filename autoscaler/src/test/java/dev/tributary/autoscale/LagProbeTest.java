package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagProbeTest {
    static final TopicPartition E0 = new TopicPartition("events", 0);
    static final TopicPartition E1 = new TopicPartition("events", 1);
    static final TopicPartition R0 = new TopicPartition("repartition", 0);

    @Test
    void lagIsEndMinusCommittedSummedOverPartitionsAndTopics() {
        assertThat(LagProbe.lag(Map.of(E0, 100L, E1, 50L, R0, 7L), Map.of(E0, 90L, E1, 50L, R0, 2L), Map.of()))
                .isEqualTo(10 + 0 + 5);
    }

    @Test
    void aPartitionNeverCommittedCountsFromItsEarliestOffset() {
        assertThat(LagProbe.lag(Map.of(E0, 100L, E1, 50L), Map.of(E0, 100L), Map.of(E1, 20L)))
                .isEqualTo(30);
    }

    @Test
    void aCommittedOffsetPastTheReadableEndCountsZero() {
        // An open transaction: the read_committed end (last stable offset) can be behind the commit.
        assertThat(LagProbe.lag(Map.of(E0, 10L), Map.of(E0, 12L), Map.of())).isZero();
    }
}
