package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The keys of one function: each checked against its limits, and its name and application id its own. */
class FunctionSectionTest {
    @Test
    void eachBadValueIsReportedOnItsLineAndAllAreReportedAtOnce() {
        assertThat(FileProblems.of("""
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
            outputFormat: xml
        """))
                .containsExactly(
                        "functions.yaml:3: threads must be at least 1, got 0",
                        "functions.yaml:4: retries must be at most 10, got 11",
                        "functions.yaml:5: timeout must be a duration such as 500ms, 5s or 1m, got '5 seconds'",
                        "functions.yaml:6: memory must be at least 16m, got 1k",
                        "functions.yaml:7: kind must be score, train or both, got 'scores'",
                        "functions.yaml:9: maxBackoff (1s) must be at least backoff (2s)",
                        "functions.yaml:10: batchSize must be a whole number, got 'many'",
                        "functions.yaml:11: batchWindow must be at least 100ms, got 10ms",
                        "functions.yaml:12: outputFormat must be avro or json, got 'xml'");
    }

    @Test
    void unknownKeysAndValuesOfTheWrongShapeAreErrorsWithTheirLine() {
        assertThat(FileProblems.of("""
        functions:
          - name: a
            thread: 2
            timeout: [1s]
        """))
                .containsExactly(
                        "functions.yaml:3: unknown key 'thread' of a function (known: applicationId, backoff, batchSize, batchWindow, "
                                + "kind, maxBackoff, memory, models, name, output, outputFormat, retries, sink, threads, timeout, trigger)",
                        "functions.yaml:4: timeout must be a single value, got a list");
    }

    @Test
    void namesModelsAndKeysOfTheOtherKindAreChecked() {
        assertThat(FileProblems.of("""
        functions:
          - name: a
          - name: a
          - kind: score
            models: []
            batchSize: 10
          - name: "b c"
            kind: train
            output: out
            outputFormat: json
          - name: e
            models: [x, x]
        """))
                .containsExactly(
                        "functions.yaml:3: function name 'a' is already used on line 2",
                        "functions.yaml:4: the function has no name",
                        "functions.yaml:5: models must name at least one model (leave it out to serve every model)",
                        "functions.yaml:6: batchSize does not apply to a score function (it does not train)",
                        "functions.yaml:7: name 'b c' may only have letters, digits, '.', '_' and '-' (at most 100)",
                        "functions.yaml:9: output does not apply to a train function (it publishes no predictions)",
                        "functions.yaml:10: outputFormat does not apply to a train function (it publishes no predictions)",
                        "functions.yaml:12: models lists a model twice: [x, x]");
    }

    @Test
    void aKeyOfTheOtherKindIsReportedAfterWhatIsWrongWithItsValue() {
        assertThat(FileProblems.of("""
        functions:
          - name: t
            kind: train
            output: "bad topic"
        """))
                .containsExactly(
                        "functions.yaml:4: output: Topic name is invalid: 'bad topic' contains one or more characters other than "
                                + "ASCII alphanumerics, '.', '_' and '-'",
                        "functions.yaml:4: output does not apply to a train function (it publishes no predictions)");
    }

    @Test
    void applicationIdsAreEachFunctionsOwn() {
        assertThat(FileProblems.of("""
        functions:
          - name: a
            applicationId: shared
          - name: b
            applicationId: shared
          - name: c
            applicationId: "not shared"
        """))
                .containsExactly(
                        "functions.yaml:5: applicationId 'shared' is already used on line 3: each function needs its own",
                        "functions.yaml:7: applicationId 'not shared' may only have letters, digits, '.', '_' and '-' (at most 100)");
    }

    @Test
    void everyKeyOfAFunctionIsRead() throws Exception {
        FunctionSpec f = FunctionSpecReader.read("""
                functions:
                  - name: a
                    kind: train
                    models: [m, n]
                    batchSize: 7
                    batchWindow: 1m
                    timeout: 3s
                    retries: 0
                    backoff: 10ms
                    maxBackoff: 20ms
                    memory: 64m
                    threads: 3
                    applicationId: a-app
                """, "f.yaml").functions().get(0);
        assertThat(f.kind()).isEqualTo(FunctionSpec.Kind.TRAIN);
        assertThat(f.models()).containsExactly("m", "n");
        assertThat(f.batchSize()).isEqualTo(7L);
        assertThat(f.batchWindow()).hasMinutes(1);
        assertThat(f.timeout()).hasSeconds(3);
        assertThat(f.retries()).isZero();
        assertThat(f.backoff()).hasMillis(10);
        assertThat(f.maxBackoff()).hasMillis(20);
        assertThat(f.memoryBytes()).isEqualTo(64L << 20);
        assertThat(f.threads()).isEqualTo(3);
        assertThat(f.applicationId()).isEqualTo("a-app");
    }
}
