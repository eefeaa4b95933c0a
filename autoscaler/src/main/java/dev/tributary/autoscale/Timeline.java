package dev.tributary.autoscale;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The autoscaler's CSV timeline, one row per poll, flushed as written: {@code elapsed_s,instances,lag}. */
public final class Timeline implements AutoCloseable {
  public static final String HEADER = "elapsed_s,instances,lag";

  private final BufferedWriter writer;

  public Timeline(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    writer.write(HEADER);
    writer.newLine();
    writer.flush();
  }

  /** One row; an unknown lag (the cluster did not answer) is left empty. */
  public void record(Duration elapsed, int instances, Long lag) throws IOException {
    writer.write(String.format(Locale.ROOT, "%.1f,%d,%s", elapsed.toMillis() / 1000.0, instances, lag == null ? "" : lag));
    writer.newLine();
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
