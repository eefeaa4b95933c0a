package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.OffsetRange;
import org.junit.jupiter.api.Test;

class LearnedOffsetsTest {
    @Test
    void eachPartitionKeepsItsFirstAndLastOffset() {
        LearnedOffsets offsets = new LearnedOffsets();
        offsets.add("events", 0, 7);
        offsets.add("events", 0, 5);
        offsets.add("events", 1, 9);
        offsets.add("events", 0, 8);
        offsets.add(new OffsetRange("other", 0, 2L, 4L));
        offsets.add(new OffsetRange("other", 0, 1L, 3L));

        assertThat(offsets.ranges())
                .containsExactlyInAnyOrder(
                        new OffsetRange("events", 0, 5L, 8L),
                        new OffsetRange("events", 1, 9L, 9L),
                        new OffsetRange("other", 0, 1L, 4L));
    }

    @Test
    void anotherTrainingsOffsetsMergeInAndAClearStartsOver() {
        LearnedOffsets offsets = new LearnedOffsets();
        offsets.add("events", 0, 10);
        LearnedOffsets later = new LearnedOffsets();
        later.add("events", 0, 12);
        later.add("events", 2, 3);
        offsets.addAll(later);
        assertThat(offsets.ranges())
                .containsExactlyInAnyOrder(
                        new OffsetRange("events", 0, 10L, 12L), new OffsetRange("events", 2, 3L, 3L));

        offsets.clear();
        assertThat(offsets.ranges()).isEmpty();
        offsets.add("events", 0, 20);
        assertThat(offsets.ranges()).containsExactly(new OffsetRange("events", 0, 20L, 20L));
    }
}
