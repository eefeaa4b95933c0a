package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReadProgressTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static long in(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void reachedWhenEveryPartitionWithRecordsIsReadToItsTarget() throws Exception {
        ReadProgress progress = new ReadProgress();
        progress.publish(Map.of(P0, 5L, P1, 0L));
        assertThat(progress.awaitReached(Map.of(P0, 5L, P1, 0L), in(10), () -> true))
                .isTrue();
        assertThat(progress.partitions()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void notReachedWhileAPartitionIsBehindOrUnknown() throws Exception {
        ReadProgress progress = new ReadProgress();
        progress.publish(Map.of(P0, 4L));
        assertThat(progress.awaitReached(Map.of(P0, 5L), System.nanoTime(), () -> true))
                .isFalse();
        assertThat(progress.awaitReached(Map.of(P1, 1L), System.nanoTime(), () -> true))
                .isFalse();
    }

    @Test
    void aWaiterWakesWhenTheThreadPublishesTheTarget() throws Exception {
        ReadProgress progress = new ReadProgress();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return progress.awaitReached(Map.of(P0, 3L), in(30), () -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        progress.publish(Map.of(P0, 3L));
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStoppedFollowerIsNeverCaughtUp() throws Exception {
        ReadProgress progress = new ReadProgress();
        progress.publish(Map.of(P0, 3L));
        assertThat(progress.awaitReached(Map.of(P0, 3L), in(10), () -> false)).isFalse();
    }
}
