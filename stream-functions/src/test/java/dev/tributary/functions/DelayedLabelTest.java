package dev.tributary.functions;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of delayed labels: each of its tests on a fresh {@link LabelledTopology}. */
abstract class DelayedLabelTest {
    @TempDir
    Path stateDir;

    LabelledTopology t;

    @BeforeEach
    void start() {
        t = new LabelledTopology(stateDir);
    }

    @AfterEach
    void stop() {
        t.close();
    }
}
