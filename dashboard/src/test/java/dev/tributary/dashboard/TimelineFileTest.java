package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.autoscale.Policies;
import dev.tributary.autoscale.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineFileTest {
    @Test
    void readsWhatTheAutoscalerWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("timeline.csv");
        try (Timeline timeline = new Timeline(file)) {
            timeline.record(Duration.ofSeconds(0), 0, reading(0L), hold(0));
            timeline.record(Duration.ofSeconds(5), 2, reading(25_000L), hold(2));
            timeline.record(Duration.ofSeconds(10), 3, reading(null), hold(3));
        }

        JsonNode points = new TimelineFile(file).json().get("points");

        assertThat(points).hasSize(3);
        assertThat(points.get(1).get("elapsedSeconds").asDouble()).isEqualTo(5.0);
        assertThat(points.get(1).get("instances").asDouble()).isEqualTo(2.0);
        assertThat(points.get(1).get("lag").asDouble()).isEqualTo(25_000.0);
        assertThat(points.get(2).get("lag").isNull()).isTrue();
    }

    private static Policies.Reading reading(Long lag) {
        return new Policies.Reading(lag, 4, null, null);
    }

    private static Policies.Choice hold(int instances) {
        return new Policies.Choice(instances, instances, null, null, instances, instances, "hold");
    }

    @Test
    void saysWhenTheFileIsMissingOrSomethingElse(@TempDir Path dir) throws Exception {
        assertThat(new TimelineFile(dir.resolve("none.csv"))
                        .json()
                        .get("problem")
                        .asText())
                .contains("no such file");
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        assertThat(new TimelineFile(other).json().get("problem").asText()).contains("not an autoscaler timeline");
    }
}
