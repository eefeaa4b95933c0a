package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.schema.Topics;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class InstanceTopicsTest {
    private static FunctionSpec.Builder function() {
        return FunctionSpec.builder("f", Topics.defaults()).trigger(FunctionSpec.Trigger.topics("a", "b"));
    }

    @Test
    void aFunctionThatScoresGetsItsTriggerAndOutputTopics() {
        assertThat(InstanceTopics.functionTopics(function().output("out").build(), 6))
                .extracting(NewTopic::name, NewTopic::numPartitions)
                .containsExactly(tuple("a", 6), tuple("b", 6), tuple("out", 6));
    }

    @Test
    void aTrainFunctionHasNoOutputAndAPatternCreatesNothing() {
        assertThat(InstanceTopics.functionTopics(
                        function().kind(FunctionSpec.Kind.TRAIN).build(), 2))
                .extracting(NewTopic::name)
                .containsExactly("a", "b");
        FunctionSpec pattern = function()
                .kind(FunctionSpec.Kind.TRAIN)
                .trigger(new FunctionSpec.Trigger(null, Pattern.compile("s.*")))
                .build();
        assertThat(InstanceTopics.functionTopics(pattern, 2)).isEmpty();
    }
}
