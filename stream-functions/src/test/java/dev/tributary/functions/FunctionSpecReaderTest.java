package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionSpecReaderTest {
    static final Path EXAMPLE = Path.of("..", "examples", "functions.yaml");

    private static List<String> problems(String yaml) {
        return catchThrowableOfType(FunctionSpecException.class, () -> FunctionSpecReader.read(yaml, "functions.yaml"))
                .problems();
    }

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
    void eachBadValueIsReportedOnItsLineAndAllAreReportedAtOnce() {
        assertThat(problems("""
        functions:
          - name: a
            threads: 0
            retries: 11
            timeout: 5 seconds
            memory: 1k
            kind: scores
            backoff: 2s
            maxBackoff: 1s
            batchSize: many
            batchWindow: 10ms
        """))
                .containsExactly(
                        "functions.yaml:3: threads must be at least 1, got 0",
                        "functions.yaml:4: retries must be at most 10, got 11",
                        "functions.yaml:5: timeout must be a duration such as 500ms, 5s or 1m, got '5 seconds'",
                        "functions.yaml:6: memory must be at least 16m, got 1k",
                        "functions.yaml:7: kind must be score, train or both, got 'scores'",
                        "functions.yaml:9: maxBackoff (1s) must be at least backoff (2s)",
                        "functions.yaml:10: batchSize must be a whole number, got 'many'",
                        "functions.yaml:11: batchWindow must be at least 100ms, got 10ms");
    }

    @Test
    void unknownKeysAreErrorsWithTheirLine() {
        assertThat(problems("""
        functions:
          - name: a
            thread: 2
            trigger:
              topic: [x]
        version: 1
        """))
                .containsExactly(
                        "functions.yaml:3: unknown key 'thread' of a function (known: applicationId, backoff, batchSize, batchWindow, "
                                + "kind, maxBackoff, memory, models, name, output, outputFormat, retries, sink, threads, timeout, trigger)",
                        "functions.yaml:4: trigger needs topics: [...] or pattern: \"...\"",
                        "functions.yaml:5: unknown key 'topic' of a trigger (known: database, pattern, topics)",
                        "functions.yaml:6: unknown key 'version' at the top level (known: functions)");
    }

    @Test
    void namesTriggersModelsAndTopicsAreChecked() {
        assertThat(problems("""
        functions:
          - name: a
            trigger: {topics: [in], pattern: "x.*"}
          - name: a
            trigger: {pattern: "sensor(("}
          - kind: score
            models: []
            batchSize: 10
          - name: "b c"
            kind: train
            output: out
            trigger: {topics: ["bad topic"]}
          - name: d
            kind: train
            trigger: {pattern: "tributary\\\\..*"}
        """))
                .containsExactly(
                        "functions.yaml:3: trigger has both topics and pattern: give one",
                        "functions.yaml:4: function name 'a' is already used on line 2",
                        "functions.yaml:5: pattern 'sensor((' is not a regular expression: Unclosed group",
                        "functions.yaml:6: the function has no name",
                        "functions.yaml:7: models must name at least one model (leave it out to serve every model)",
                        "functions.yaml:8: batchSize does not apply to a score function (it does not train)",
                        "functions.yaml:9: name 'b c' may only have letters, digits, '.', '_' and '-' (at most 100)",
                        "functions.yaml:11: output does not apply to a train function (it publishes no predictions)",
                        "functions.yaml:12: topics: Topic name is invalid: 'bad topic' contains one or more characters other than "
                                + "ASCII alphanumerics, '.', '_' and '-'",
                        "functions.yaml:15: the trigger of function 'd' includes Tributary's topic tributary.models: it holds no events",
                        "functions.yaml:15: the trigger of function 'd' includes Tributary's topic tributary.dead-letters: it holds no "
                                + "events");
    }

    @Test
    void predictionsMayNotTriggerAFunctionAndApplicationIdsAreEachFunctionsOwn() {
        assertThat(problems("""
        functions:
          - name: a
            trigger: {topics: [in]}
            output: in
            applicationId: shared
          - name: b
            applicationId: shared
        """))
                .containsExactly(
                        "functions.yaml:4: the output topic in of function 'a' would trigger function 'a': predictions are not events",
                        "functions.yaml:7: applicationId 'shared' is already used on line 5: each function needs its own");
    }

    @Test
    void malformedYamlAndMissingFunctionsSayWhere() {
        assertThat(problems("functions:\n  - name: a\n    threads: [1\n"))
                .containsExactly(
                        "functions.yaml:3: not valid YAML: while parsing a flow sequence expected ',' or ']', but got <stream end>");
        assertThat(problems("")).containsExactly("functions.yaml:1: the file is empty: it needs a 'functions:' list");
        assertThat(problems("functions: []\n"))
                .containsExactly("functions.yaml:1: 'functions:' must list at least one function");
        assertThat(problems("functions:\n  - name: a\n    name: b\n"))
                .containsExactly("functions.yaml:3: duplicate key 'name' (first on line 2)");
        assertThat(catchThrowableOfType(
                                FunctionSpecException.class, () -> FunctionSpecReader.read(Path.of("no-such.yaml")))
                        .problems())
                .containsExactly("no-such.yaml: no such file");
    }

    @Test
    void quantitiesReadAndPrintBack() {
        assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Quantities.bytes("1g")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("512M")).isEqualTo(512L << 20);
        assertThat(Quantities.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Quantities.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Quantities.formatBytes(1L << 30)).isEqualTo("1g");
        assertThat(Quantities.formatBytes(768L << 20)).isEqualTo("768m");
    }
}
