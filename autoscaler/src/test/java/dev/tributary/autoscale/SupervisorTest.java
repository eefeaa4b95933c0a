package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
    @TempDir
    Path work;

    @Test
    void startsInstancesInFreeSlotsStopsTheNewestPolitelyAndNoticesOnesThatDied() throws Exception {
        try (Supervisor supervisor = new Supervisor(
                Supervisor.sameJava("64m", SleepingChild.class.getName()),
                List.of("--extra", "x"),
                work,
                Duration.ofSeconds(20))) {
            Supervisor.Child first = supervisor.add();
            Supervisor.Child second = supervisor.add();
            assertThat(List.of(first.slot(), second.slot())).containsExactly(1, 2);
            awaitLine(first.out(), "run --state-dir " + work.resolve("instance-1") + " --extra x");
            awaitLine(second.out(), "run --state-dir " + work.resolve("instance-2") + " --extra x");

            supervisor.removeNewest();
            assertThat(second.process().isAlive()).isFalse();
            assertThat(Files.readString(second.out()))
                    .as("SIGTERM, so the shutdown hooks ran")
                    .contains("stopped gracefully");
            assertThat(supervisor.size()).isEqualTo(1);

            Supervisor.Child third = supervisor.add();
            assertThat(third.slot()).as("the free slot again").isEqualTo(2);
            assertThat(third.out()).isNotEqualTo(second.out());

            first.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(supervisor.takeExited()).containsExactly(first);
            assertThat(supervisor.takeExited()).isEmpty();
            assertThat(supervisor.children()).containsExactly(third);

            supervisor.close();
            assertThat(third.process().isAlive()).isFalse();
            assertThat(supervisor.size()).isZero();
        }
    }

    @Test
    void instancesShareTheArchiveTheCollectorAndThePauseGoalButNotTheRestOfTheOptions() {
        assertThat(Supervisor.inherited(List.of(
                        "-Xmx2g",
                        "-XX:SharedArchiveFile=/tmp/t.jsa",
                        "-XX:MaxGCPauseMillis=10",
                        "-XX:+UseZGC",
                        "-XX:+UseG1GC",
                        "-XX:-UseCompressedOops",
                        "-XX:StartFlightRecording=filename=a.jfr",
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.tributary")))
                .containsExactly(
                        "-XX:SharedArchiveFile=/tmp/t.jsa", "-XX:MaxGCPauseMillis=10", "-XX:+UseZGC", "-XX:+UseG1GC");
    }

    static void awaitLine(Path file, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(file) && Files.readAllLines(file).contains(line)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.readAllLines(file)).contains(line);
    }
}
