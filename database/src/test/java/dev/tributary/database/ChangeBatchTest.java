package dev.tributary.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ChangeBatchTest {
    static final long SECOND = 1_000_000_000L;

    static List<ProducerRecord<byte[], byte[]>> transaction(int records) {
        return java.util.stream.IntStream.range(0, records)
                .mapToObj(i -> new ProducerRecord<byte[], byte[]>("t", new byte[] {(byte) i}))
                .toList();
    }

    @Test
    void withoutAWindowABatchIsWrittenAsSoonAsNothingMoreIsPending() {
        ChangeBatch batch = new ChangeBatch(100, Duration.ZERO);
        assertThat(batch.due(0)).as("an empty batch is never written").isFalse();
        batch.add(transaction(3), 10 * SECOND);
        assertThat(batch.full()).isFalse();
        assertThat(batch.due(10 * SECOND)).isTrue();
    }

    @Test
    void aWindowGathersTransactionsFromTheFirstOnesArrival() {
        ChangeBatch batch = new ChangeBatch(100, Duration.ofSeconds(2));
        batch.add(transaction(3), 10 * SECOND);
        batch.add(transaction(3), 11 * SECOND);
        assertThat(batch.due(11 * SECOND + SECOND / 2)).isFalse();
        assertThat(batch.due(12 * SECOND)).isTrue();
        assertThat(batch.drain()).hasSize(6);
        assertThat(batch.isEmpty()).isTrue();
        batch.add(transaction(1), 20 * SECOND);
        assertThat(batch.due(21 * SECOND))
                .as("the window starts again with the next batch")
                .isFalse();
    }

    @Test
    void aFullBatchIsDueWhateverItsWindowAndATransactionIsNeverSplit() {
        ChangeBatch batch = new ChangeBatch(5, Duration.ofMinutes(1));
        batch.add(transaction(4), 0);
        assertThat(batch.full()).isFalse();
        batch.add(transaction(4), 0);
        assertThat(batch.full()).isTrue();
        assertThat(batch.due(0)).isTrue();
        List<ProducerRecord<byte[], byte[]>> written = batch.drain();
        assertThat(written).hasSize(8);
        assertThat(written.get(4).value()).containsExactly(0);
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> new ChangeBatch(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize must be at least 1");
    }
}
