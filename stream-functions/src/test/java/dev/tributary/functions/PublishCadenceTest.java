package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishCadenceTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec("m", Algorithm.LINEAR_REGRESSION, List.of("x"))
            .setPublishEvery(100)
            .setPublishIntervalMs(60_000)
            .build();
    private static final FunctionSpec STANDARD = FunctionSpec.standard(Topics.defaults(), "app");

    private static FunctionSpec batched(Long size, Duration window) {
        FunctionSpec f = STANDARD;
        return new FunctionSpec(
                f.name(),
                f.kind(),
                f.trigger(),
                f.models(),
                f.output(),
                size,
                window,
                f.timeout(),
                f.retries(),
                f.backoff(),
                f.maxBackoff(),
                f.memoryBytes(),
                f.threads(),
                f.applicationId(),
                f.outputFormat());
    }

    @Test
    void theModelsCadenceUnlessTheFunctionSetsItsBatch() {
        assertThat(PublishCadence.of(SPEC, STANDARD)).isEqualTo(new PublishCadence(100, 60_000));
        assertThat(PublishCadence.of(SPEC, batched(7L, Duration.ofMillis(250)))).isEqualTo(new PublishCadence(7, 250));
        assertThat(PublishCadence.of(SPEC, batched(null, Duration.ofSeconds(5))))
                .isEqualTo(new PublishCadence(100, 5_000));
    }

    @Test
    void dueAfterEveryExamplesOrOnceTheIntervalIsOverWithSomethingLearned() {
        PublishCadence cadence = new PublishCadence(100, 60_000);
        assertThat(cadence.dueByCount(1099, 1000)).isFalse();
        assertThat(cadence.dueByCount(1100, 1000)).isTrue();
        assertThat(cadence.dueByTime(1001, 1000, 0, 59_999)).isFalse();
        assertThat(cadence.dueByTime(1001, 1000, 0, 60_000)).isTrue();
        assertThat(cadence.dueByTime(1000, 1000, 0, 120_000))
                .as("nothing learned since")
                .isFalse();
    }

    @Test
    void theTickIsASecondOrAShorterBatchWindow() {
        assertThat(PublishCadence.tick(STANDARD)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PublishCadence.tick(batched(null, Duration.ofSeconds(10)))).isEqualTo(Duration.ofSeconds(1));
        assertThat(PublishCadence.tick(batched(null, Duration.ofMillis(200)))).isEqualTo(Duration.ofMillis(200));
    }
}
