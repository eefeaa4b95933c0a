package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A whole function file: its functions in order, and what is checked across them. */
class FunctionSpecReaderTest {
    static final Path EXAMPLE = Path.of("..", "examples", "functions.yaml");

    @Test
    void aFunctionWithOnlyANameGetsTheDefaultsOfTodaysRun() throws Exception {
        FunctionSpec f = FunctionSpecReader.read("functions:\n  - name: fraud\n", "f.yaml")
                .functions()
                .get(0);
        assertThat(f.kind()).isEqualTo(FunctionSpec.Kind.BOTH);
        assertThat(f.trigger().topics()).containsExactly("tributary.events");
        assertThat(f.trigger().pattern()).isNull();
        assertThat(f.models()).isEmpty();
        assertThat(f.serves("anything")).isTrue();
        assertThat(f.output()).isEqualTo("tributary.predictions");
        assertThat(f.batchSize()).isNull();
        assertThat(f.batchWindow()).isNull();
        assertThat(f.timeout()).isEqualTo(FunctionSpec.DEFAULT_TIMEOUT);
        assertThat(f.retries()).isEqualTo(FunctionSpec.DEFAULT_RETRIES);
        assertThat(f.backoff()).isEqualTo(FunctionSpec.DEFAULT_BACKOFF);
        assertThat(f.maxBackoff()).isEqualTo(FunctionSpec.DEFAULT_MAX_BACKOFF);
        assertThat(f.memoryBytes()).isEqualTo(FunctionSpec.DEFAULT_MEMORY_BYTES);
        assertThat(f.threads()).isEqualTo(1);
        assertThat(f.applicationId()).isEqualTo("tributary-fn-fraud");
        assertThat(f.outputFormat()).isEqualTo(FunctionSpec.OutputFormat.AVRO);
    }

    @Test
    void theExampleFileReadsAsDocumented() throws Exception {
        FunctionSpecs specs = FunctionSpecReader.read(EXAMPLE);
        assertThat(specs.functions()).extracting(FunctionSpec::name).containsExactly("price-quotes", "sensors");
        FunctionSpec quotes = specs.functions().get(0);
        assertThat(quotes.kind()).isEqualTo(FunctionSpec.Kind.SCORE);
        assertThat(quotes.models()).containsExactly("diamonds");
        assertThat(quotes.output()).isEqualTo("diamonds.quotes");
        assertThat(quotes.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(quotes.backoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(quotes.threads()).isEqualTo(2);
        FunctionSpec sensors = specs.functions().get(1);
        assertThat(sensors.trigger().matches("sensor.kitchen")).isTrue();
        assertThat(sensors.trigger().matches("sensors.predictions")).isFalse();
        assertThat(sensors.batchSize()).isEqualTo(500L);
        assertThat(sensors.batchWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(sensors.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(specs.heapBytes()).isEqualTo((256L + 512L) << 20);
    }

    @Test
    void predictionsMayNotTriggerAFunctionNorATriggerReadTributarysOwnTopics() {
        assertThat(FileProblems.of("""
        functions:
          - name: a
            trigger: {topics: [in]}
            output: in
          - name: d
            kind: train
            trigger: {pattern: "tributary\\\\..*"}
        """))
                .containsExactly(
                        "functions.yaml:4: the output topic in of function 'a' would trigger function 'a': predictions are not events",
                        "functions.yaml:7: the trigger of function 'd' includes Tributary's topic tributary.models: it holds no events",
                        "functions.yaml:7: the trigger of function 'd' includes Tributary's topic tributary.dead-letters: it holds no "
                                + "events");
    }

    @Test
    void theFileNeedsAFunctionsListAndNothingElse() {
        assertThat(FileProblems.of("functions: []\n"))
                .containsExactly("functions.yaml:1: 'functions:' must list at least one function");
        assertThat(FileProblems.of("- name: a\n"))
                .containsExactly("functions.yaml:1: the file must be a mapping with a 'functions:' list");
        assertThat(FileProblems.of("functions:\n  - name: a\nversion: 1\n"))
                .containsExactly("functions.yaml:3: unknown key 'version' at the top level (known: functions)");
        assertThat(catchThrowableOfType(
                                FunctionSpecException.class, () -> FunctionSpecReader.read(Path.of("no-such.yaml")))
                        .problems())
                .containsExactly("no-such.yaml: no such file");
    }
}
