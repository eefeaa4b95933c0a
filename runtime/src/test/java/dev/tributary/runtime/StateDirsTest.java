package dev.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirsTest {
    @Test
    void eachClaimGetsADirectoryNoOtherHoldsUnderTheApplication(@TempDir Path root) throws Exception {
        Path first = StateDirs.claim(root, "app");
        Path second = StateDirs.claim(root, "app");
        assertThat(first).isEqualTo(root.resolve("app").resolve("1")).isDirectory();
        assertThat(second).as("the first is held").isEqualTo(root.resolve("app").resolve("2"));
        assertThat(StateDirs.claim(root, "other"))
                .isEqualTo(root.resolve("other").resolve("1"));
    }

    @Test
    void onlyOldRocksDbLibrariesAreDeleted(@TempDir Path tmp) throws Exception {
        Instant now = Instant.now();
        Path old = Files.createFile(tmp.resolve("librocksdbjni123.so"));
        Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofHours(2))));
        Path fresh = Files.createFile(tmp.resolve("librocksdbjni456.so"));
        Path other = Files.createFile(tmp.resolve("something-else.so"));
        Files.setLastModifiedTime(other, FileTime.from(now.minus(Duration.ofHours(2))));
        assertThat(StateDirs.deleteStaleLibraries(tmp, now)).isOne();
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(other).exists();
    }
}
