package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The text of a function file before its keys are read. */
class YamlTreeTest {
    @Test
    void malformedYamlSaysOnWhichLineWithoutEchoingTheText() {
        assertThat(FileProblems.of("functions:\n  - name: a\n    threads: [1\n"))
                .containsExactly(
                        "functions.yaml:3: not valid YAML: while parsing a flow sequence expected ',' or ']', but got <stream end>");
    }

    @Test
    void anEmptyFileIsAProblem() {
        assertThat(FileProblems.of(""))
                .containsExactly("functions.yaml:1: the file is empty: it needs a 'functions:' list");
    }

    @Test
    void aKeyGivenTwiceIsReportedWithTheLineOfTheFirst() {
        assertThat(FileProblems.of("functions:\n  - name: a\n    name: b\n"))
                .containsExactly("functions.yaml:3: duplicate key 'name' (first on line 2)");
    }

    @Test
    void eachValueHasTheLineOfItsKey() {
        Problems problems = new Problems();
        Node root = YamlTree.parse("functions:\n  - name: a\n\n    trigger:\n      topics: [x]\n", problems);
        Node function = root.map().get("functions").list().get(0);
        assertThat(function.line()).isEqualTo(2);
        assertThat(function.lineOf("name")).isEqualTo(2);
        assertThat(function.lineOf("trigger")).isEqualTo(4);
        assertThat(function.lineOf("threads"))
                .as("a missing key: the mapping's line")
                .isEqualTo(2);
        assertThat(function.map().get("trigger").lineOf("topics")).isEqualTo(5);
        assertThat(problems.count()).isZero();
    }
}
