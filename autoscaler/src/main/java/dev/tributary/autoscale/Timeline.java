package dev.tributary.autoscale;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The autoscaler's CSV timeline, one row per poll, flushed as written: the instances after the
 * poll's step, what was measured (lag; CPU and memory utilisation averaged over the instances
 * sampled, as fractions), the count each policy wanted and the count chosen. A value not measured
 * or a policy that is off is left empty.
 */
public final class Timeline implements AutoCloseable {
    public static final String HEADER =
            "elapsed_s,instances,lag,cpu,memory,lag_desired,cpu_desired,memory_desired,desired";

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

    /** A row of the lag alone (an unknown lag left empty), with no policy's count. */
    public void record(Duration elapsed, int instances, Long lag) throws IOException {
        record(elapsed, instances, new Policies.Reading(lag, 0, null, null), null);
    }

    /** One row; {@code choice} is null when nothing could be decided (the cluster did not answer). */
    public void record(Duration elapsed, int instances, Policies.Reading reading, Policies.Choice choice)
            throws IOException {
        writer.write(String.format(
                Locale.ROOT,
                "%.1f,%d,%s,%s,%s,%s,%s,%s,%s",
                elapsed.toMillis() / 1000.0,
                instances,
                text(reading.lag()),
                fraction(reading.cpu()),
                fraction(reading.memory()),
                choice == null ? "" : text(choice.lag()),
                choice == null ? "" : text(choice.cpu()),
                choice == null ? "" : text(choice.memory()),
                choice == null ? "" : choice.desired()));
        writer.newLine();
        writer.flush();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String fraction(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
