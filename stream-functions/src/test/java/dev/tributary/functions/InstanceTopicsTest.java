package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecReader;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class InstanceTopicsTest {
    private static FunctionSpec function(String keys) throws Exception {
        return FunctionSpecReader.read("functions:\n  - name: f\n" + keys, "f.yaml")
                .functions()
                .get(0);
    }

    @Test
    void aFunctionThatScoresGetsItsTriggerAndOutputTopics() throws Exception {
        assertThat(InstanceTopics.functionTopics(function("    trigger: {topics: [a, b]}\n    output: out\n"), 6))
                .extracting(NewTopic::name, NewTopic::numPartitions)
                .containsExactly(tuple("a", 6), tuple("b", 6), tuple("out", 6));
    }

    @Test
    void aTrainFunctionHasNoOutputAndAPatternCreatesNothing() throws Exception {
        assertThat(InstanceTopics.functionTopics(function("    kind: train\n    trigger: {topics: [a, b]}\n"), 2))
                .extracting(NewTopic::name)
                .containsExactly("a", "b");
        assertThat(InstanceTopics.functionTopics(function("    kind: score\n    trigger: {pattern: \"s.*\"}\n"), 2))
                .extracting(NewTopic::name)
                .containsExactly("tributary.predictions");
        assertThat(InstanceTopics.functionTopics(function("    kind: train\n    trigger: {pattern: \"s.*\"}\n"), 2))
                .isEmpty();
    }
}
