package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineTest {
    @TempDir
    Path dir;

    @Test
    void oneRowPerPollReadableWhileWritten() throws Exception {
        Path file = dir.resolve("sub/timeline.csv");
        try (Timeline timeline = new Timeline(file)) {
            timeline.record(
                    Duration.ofMillis(1234),
                    2,
                    new Policies.Reading(5000L, 4, 0.8125, null),
                    new Policies.Choice(1, 1, 2, null, 2, 2, "cpu"));
            assertThat(Files.readAllLines(file)).containsExactly(Timeline.HEADER, "1.2,2,5000,0.813,,1,2,,2");
            timeline.record(Duration.ofSeconds(3), 2, new Policies.Reading(null, 0, null, null), null);
        }
        assertThat(Files.readAllLines(file))
                .containsExactly(
                        "elapsed_s,instances,lag,cpu,memory,lag_desired,cpu_desired,memory_desired,desired",
                        "1.2,2,5000,0.813,,1,2,,2",
                        "3.0,2,,,,,,,");
    }
}
