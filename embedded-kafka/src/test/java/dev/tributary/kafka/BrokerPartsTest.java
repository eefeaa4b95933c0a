package dev.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces an {@link EmbeddedKafka} is made of, without starting a broker. */
class BrokerPartsTest {
    @TempDir
    Path dir;

    @Test
    void aSingleCombinedNodeOnTheGivenPortsWithTheOverridesLast() {
        Map<String, String> p = BrokerProperties.of(
                "127.0.0.1", 1, 9092, 9093, dir, Map.of("log.segment.bytes", "1048576", "num.partitions", "3"));
        assertThat(p)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("log.dirs", dir.toString())
                .containsEntry("log.segment.bytes", "1048576")
                .containsEntry("num.partitions", "3");
    }

    @Test
    void aLogDirIsFormattedOnlyOnceItHoldsMetaProperties() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Map<String, String> props = Map.of("log.dirs", logs.toString());
        assertThat(StorageFormat.alreadyFormatted(props)).isFalse();
        Files.writeString(logs.resolve("meta.properties"), "version=1\n");
        assertThat(StorageFormat.alreadyFormatted(props)).isTrue();
        Path metadata = Files.createDirectories(dir.resolve("metadata"));
        assertThat(StorageFormat.alreadyFormatted(
                        Map.of("log.dirs", logs.toString(), "metadata.log.dir", metadata.toString())))
                .as("a separate metadata dir must be formatted too")
                .isFalse();
    }

    @Test
    void aBindFailureIsRecognisedAnywhereInTheCauses() {
        assertThat(LocalPorts.isBindFailure(new IllegalStateException(new BindException("taken"))))
                .isTrue();
        assertThat(LocalPorts.isBindFailure(
                        new RuntimeException("wrapped", new RuntimeException("Address already in use"))))
                .isTrue();
        assertThat(LocalPorts.isBindFailure(new UncheckedIOException(new IOException("disk full"))))
                .isFalse();
        assertThat(LocalPorts.freePort("127.0.0.1")).isBetween(1, 65535);
    }

    @Test
    void aDataDirIsDeletedWithEverythingUnderIt() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data/logs/topic-0"));
        Files.writeString(data.resolve("00000.log"), "x");
        DataDirs.deleteRecursively(dir.resolve("data"));
        assertThat(dir.resolve("data")).doesNotExist();
        DataDirs.deleteRecursively(dir.resolve("data")); // gone already: nothing to do
    }
}
