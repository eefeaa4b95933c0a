package dev.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionsHostTest {
    @Test
    void closingStopsWaitingAndDeletesTheStateDirectoryItOwns() throws Exception {
        Path dir = Files.createTempDirectory("tributary-host-test-");
        Files.writeString(dir.resolve("state"), "x");
        FunctionsHost host = FunctionsHost.start(List.of(), new FunctionsHost.HttpSettings("127.0.0.1", 0, false), dir);
        assertThat(host.httpPort()).isEqualTo(-1);
        host.close();
        host.awaitStop(); // returns at once: the host is stopped, and stopping is not a failure
        assertThat(dir).doesNotExist();
    }

    @Test
    void leavesAStateDirectoryItDoesNotOwn() throws Exception {
        Path dir = Files.createTempDirectory("tributary-host-test-");
        try (FunctionsHost host =
                FunctionsHost.start(List.of(), new FunctionsHost.HttpSettings("127.0.0.1", 0, false), null)) {
            host.awaitRunning(java.time.Duration.ofSeconds(1));
        }
        assertThat(dir).exists();
        TempDirs.delete(dir);
    }
}
