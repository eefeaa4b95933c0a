package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.schema.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackTopicsTest {

    @Test
    void equalCountsJoin() {
        assertThat(FeedbackTopics.problem("tributary.events", 4, "tributary.feedback", 4))
                .isNull();
    }

    @Test
    void fewerFeedbackPartitionsSaysHowManyToAdd() {
        assertThat(FeedbackTopics.problem("tributary.events", 4, "tributary.feedback", 2))
                .isEqualTo("topic tributary.feedback has 2 partitions and tributary.events has 4, but labels must be "
                        + "partitioned like their events: add partitions (kafka-topics.sh --alter --topic tributary.feedback "
                        + "--partitions 4) or delete it and let run create it, then start again");
    }

    @Test
    void moreFeedbackPartitionsSaysToRecreateIt() {
        assertThat(FeedbackTopics.problem("clicks", 2, "clicks.feedback", 8))
                .endsWith("delete clicks.feedback and let run create it with 2 partitions, then start again");
    }

    @Test
    void aFunctionJoinsTheFeedbackOfEachNamedTriggerWhenItTrains() {
        FunctionSpec standard = FunctionSpec.standard(Topics.defaults(), FunctionSpec.STANDARD_NAME);
        assertThat(FeedbackJoin.applies(standard)).isTrue();
        assertThat(FeedbackJoin.feedbackTopics(standard)).isEqualTo(List.of("tributary.feedback"));
        assertThat(FeedbackJoin.applies(standard.withKind(FunctionSpec.Kind.SCORE)))
                .isFalse();
    }
}
