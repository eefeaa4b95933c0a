package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {
    static final Path EXAMPLE = ComposeFileTest.ROOT.resolve("examples/functions.yaml");

    @TempDir
    Path dir;

    @Test
    void theExampleIsValidAndItsFunctionsAreSummed() {
        CliRun run = CliRun.of("deploy", EXAMPLE.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("FUNCTION").contains("TRIGGER", "BATCH", "MEMORY", "APPLICATION ID");
            assertThat(lines.get(1))
                    .startsWith("price-quotes")
                    .contains(
                            "score",
                            "tributary.events",
                            "diamonds",
                            "diamonds.quotes",
                            "2s",
                            "2 (50ms..5s)",
                            "256m",
                            "tributary-fn-price-quotes");
            assertThat(lines.get(2))
                    .startsWith("sensors")
                    .contains(
                            "both",
                            "/sensor\\..*/",
                            "(all)",
                            "sensors.predictions",
                            "500 / 10s",
                            "3 (100ms..1s)",
                            "512m",
                            "tributary-fn-sensors");
        });
        assertThat(run.out()).contains("2 function(s) in " + EXAMPLE + ", wanting 768m of heap together");
    }

    @Test
    void aBadFileIsAUsageErrorWithEveryProblemOnItsLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("functions.yaml"), """
        functions:
          - name: fraud
            kind: score
            threads: 0
            memry: 1g
        """);
        CliRun run = CliRun.of("deploy", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .containsExactly(
                        bad + ":4: threads must be at least 1, got 0",
                        bad
                                + ":5: unknown key 'memry' of a function (known: applicationId, backoff, batchSize, batchWindow, kind, "
                                + "maxBackoff, memory, models, name, output, outputFormat, retries, sink, threads, timeout, trigger)",
                        "tributary: " + bad + " cannot be used (2 problems); nothing was run.");
    }

    @Test
    void theDatabaseExampleIsValidAndABadDatabaseKeyIsOnItsLine() throws Exception {
        CliRun example = CliRun.of(
                "deploy",
                ComposeFileTest.ROOT.resolve("examples/database/functions.yaml").toString());
        assertThat(example.code()).as(example.err()).isZero();
        assertThat(example.out().lines().toList().get(1))
                .startsWith("house-prices")
                .contains("tributary.db.house-prices", "houses.predictions");
        Path bad = Files.writeString(dir.resolve("db.yaml"), """
        functions:
          - name: houses
            trigger:
              database:
                url: jdbc:mysql://db/shop
                user: u
                table: houses
                model: houses
        """);
        CliRun run = CliRun.of("deploy", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines().get(0))
                .isEqualTo(
                        bad + ":5: url must be jdbc:postgresql://HOST:PORT/DATABASE, got " + "'jdbc:mysql://db/shop'");
    }

    @Test
    void runRefusesABadFileBeforeItConnects() throws Exception {
        Path bad = Files.writeString(dir.resolve("f.yaml"), "functions:\n  - name: a\n    retries: -1\n");
        CliRun run = CliRun.of("run", "--functions", bad.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines().get(0)).isEqualTo(bad + ":3: retries must be at least 0, got -1");
    }

    @Test
    void runTakesNoApplicationIdWithAFile() {
        CliRun run = CliRun.of("run", "--functions", EXAMPLE.toString(), "--application-id", "x");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--application-id does not go with --functions");
    }
}
