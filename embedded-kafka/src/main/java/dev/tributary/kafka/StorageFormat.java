package dev.tributary.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/** Formats a broker's log dirs with Kafka's storage tool, once: a formatted dir is reused as it is. */
final class StorageFormat {
    private StorageFormat() {}

    /** Formats the log dir with a fresh cluster id, unless it already holds a formatted broker. */
    static void formatIfNeeded(Map<String, String> props, Path logDir, Path dataDir) {
        if (alreadyFormatted(props)) {
            return;
        }
        Path configFile = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            configFile = Files.createTempFile(dataDir, "format-", ".properties");
            Properties fileProps = new Properties();
            fileProps.putAll(props);
            try (OutputStream os = Files.newOutputStream(configFile)) {
                fileProps.store(os, "embedded-kafka storage format");
            }
            String clusterId = Uuid.randomUuid().toString();
            String[] args = {
                "format", "--config", configFile.toString(), "--cluster-id", clusterId, "--ignore-formatted"
            };
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(args, ps);
            }
            if (rc != 0) {
                throw new IllegalStateException(
                        "kafka storage format failed (rc=" + rc + "): " + out.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format " + logDir, e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("kafka storage format failed: " + out.toString(StandardCharsets.UTF_8), e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** True if every log dir (and the metadata log dir, if separate) already holds meta.properties. */
    static boolean alreadyFormatted(Map<String, String> props) {
        List<String> dirs = new ArrayList<>(List.of(props.get("log.dirs").split(",")));
        String metadataDir = props.get("metadata.log.dir");
        if (metadataDir != null && !metadataDir.isBlank()) {
            dirs.add(metadataDir);
        }
        return dirs.stream()
                .map(String::trim)
                .allMatch(d -> Files.exists(Path.of(d).resolve("meta.properties")));
    }
}
