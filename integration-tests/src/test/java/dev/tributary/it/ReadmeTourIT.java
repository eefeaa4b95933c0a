package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's tour as a new user runs it ({@code scripts/readme-tour.sh}: a broker, the plain
 * {@code run} next to a function file, the CSV, kcat, Python and gateway examples, each as its own
 * process): it ends with every valid event predicted once and no dead letter.
 */
class ReadmeTourIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theTourRunsAsWrittenWithoutADeadLetter() throws Exception {
        Path work = Path.of("target", "readme-tour").toAbsolutePath();
        Files.createDirectories(work);
        File output = work.resolveSibling("readme-tour.log").toFile();
        Process tour = new ProcessBuilder("bash", "scripts/readme-tour.sh", work.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output)
                .start();
        boolean done = tour.waitFor(20, TimeUnit.MINUTES);
        if (!done) {
            tour.descendants().forEach(ProcessHandle::destroy);
            tour.destroy();
        }
        String log = Files.readString(output.toPath());
        assertThat(done).as("the tour ended within 20 minutes:%n%s", log).isTrue();
        assertThat(tour.exitValue()).as(log).isZero();
        assertThat(log).contains("readme-tour: OK");
    }
}
