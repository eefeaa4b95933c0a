package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FeedbackMetricsTest {

    @Test
    void readsTheStatsWhenScraped() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FunctionStats stats = new FunctionStats();
        FeedbackMetrics.bind(registry, Tags.of("instance", "i"), stats);
        stats.feedbackJoined.add(3);
        stats.feedbackUnmatched.add(2);
        stats.feedbackDuplicate.add(1);
        stats.labelWaitsDefaulted.add(1);
        stats.pendingLabels.add(7);
        stats.pendingLabelBytes.add(700);
        stats.recordLabelDelay(2_000);

        assertThat(registry.get("tributary.feedback")
                        .tag("outcome", "joined")
                        .functionCounter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.get("tributary.feedback")
                        .tag("outcome", "unmatched")
                        .functionCounter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("tributary.feedback")
                        .tag("outcome", "duplicate")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("tributary.label.waits.expired")
                        .tag("outcome", "defaulted")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("tributary.feedback.join.ratio").gauge().value())
                .isEqualTo(0.75);
        assertThat(registry.get("tributary.pending.labels").gauge().value()).isEqualTo(7);
        assertThat(registry.get("tributary.pending.label.bytes").gauge().value())
                .isEqualTo(700);
        assertThat(registry.get("tributary.label.delay").timer().count()).isOne();
        assertThat(registry.get("tributary.label.delay").timer().totalTime(TimeUnit.SECONDS))
                .isEqualTo(2.0);
    }
}
