package dev.tributary.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The state directory a {@code run} chooses itself: {@code ROOT/APPLICATION-ID/N}, the first one no
 * running process holds (a lock file next to it, released by the OS however the process ends). It
 * is kept after the run, so a restart on the same machine finds its state and its static group
 * membership again; it is not in the OS temp directory, which the OS may clear under a running
 * instance.
 */
public final class StateDirs {
    /** RocksDB unpacks its native library into the temp directory per process; a killed process leaves it. */
    static final Duration STALE_LIBRARY_AGE = Duration.ofHours(1);

    private StateDirs() {}

    /** {@code ~/.tributary/state}. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".tributary", "state");
    }

    /** A directory of its own for this process, held until it exits. */
    public static Path claim(Path root, String applicationId) throws IOException {
        Path app = root.resolve(applicationId);
        Files.createDirectories(app);
        for (int n = 1; ; n++) {
            Path lockFile = app.resolve(n + ".lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already
            }
            if (lock != null) {
                Path dir = Files.createDirectories(app.resolve(String.valueOf(n)));
                // The channel stays open (and the lock held) until the process ends.
                return dir;
            }
            channel.close();
        }
    }

    /** Deletes RocksDB native libraries in {@code tempDir} that processes killed long ago left behind; returns how many. */
    public static int deleteStaleLibraries(Path tempDir, Instant now) {
        int deleted = 0;
        try (DirectoryStream<Path> libraries = Files.newDirectoryStream(tempDir, "librocksdbjni*")) {
            for (Path lib : libraries) {
                // Unlinking a library a running process has loaded is harmless on Linux: its mapping stays.
                if (Files.getLastModifiedTime(lib).toInstant().isBefore(now.minus(STALE_LIBRARY_AGE))
                        && Files.deleteIfExists(lib)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            return deleted; // best effort
        }
        return deleted;
    }
}
