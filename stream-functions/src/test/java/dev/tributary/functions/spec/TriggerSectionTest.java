package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code trigger: topics:} or {@code pattern:}. */
class TriggerSectionTest {
    private static FunctionSpec.Trigger triggerOf(String yaml) throws FunctionSpecException {
        return FunctionSpecReader.read(yaml, "f.yaml").functions().get(0).trigger();
    }

    @Test
    void namedTopicsOrAPatternTriggerAFunction() throws Exception {
        FunctionSpec.Trigger topics = triggerOf("functions:\n  - name: a\n    trigger: {topics: [x, y]}\n");
        assertThat(topics.topics()).containsExactly("x", "y");
        assertThat(topics.matches("y")).isTrue();
        assertThat(topics.matches("z")).isFalse();
        FunctionSpec.Trigger one = triggerOf("functions:\n  - name: a\n    trigger: {topics: x}\n");
        assertThat(one.topics()).as("a single topic is a list of one").containsExactly("x");
        FunctionSpec.Trigger pattern =
                triggerOf("functions:\n  - name: a\n    trigger: {pattern: \"sensor\\\\..*\"}\n");
        assertThat(pattern.pattern()).isNotNull();
        assertThat(pattern.matches("sensor.kitchen")).isTrue();
        assertThat(pattern.matches("sensors")).isFalse();
    }

    @Test
    void topicsOrAPatternAreCheckedEachOnItsLine() {
        assertThat(FileProblems.of("""
        functions:
          - name: a
            trigger: {topics: [in], pattern: "x.*"}
          - name: b
            trigger: {pattern: "sensor(("}
          - name: c
            trigger: {topics: ["bad topic"]}
          - name: d
            trigger:
          - name: e
            trigger:
              topic: [x]
        """))
                .containsExactly(
                        "functions.yaml:3: trigger has both topics and pattern: give one",
                        "functions.yaml:5: pattern 'sensor((' is not a regular expression: Unclosed group",
                        "functions.yaml:7: topics: Topic name is invalid: 'bad topic' contains one or more characters other than "
                                + "ASCII alphanumerics, '.', '_' and '-'",
                        "functions.yaml:9: trigger must be a mapping with topics: [...] or pattern: \"...\"",
                        "functions.yaml:11: trigger needs topics: [...] or pattern: \"...\"",
                        "functions.yaml:12: unknown key 'topic' of a trigger (known: database, pattern, topics)");
    }
}
