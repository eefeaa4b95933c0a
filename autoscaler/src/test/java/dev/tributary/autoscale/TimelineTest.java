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
      timeline.record(Duration.ofMillis(1234), 2, 5000L);
      assertThat(Files.readAllLines(file)).containsExactly(Timeline.HEADER, "1.2,2,5000");
      timeline.record(Duration.ofSeconds(3), 2, null);
    }
    assertThat(Files.readAllLines(file)).containsExactly("elapsed_s,instances,lag", "1.2,2,5000", "3.0,2,");
  }
}
