package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Topics;
import org.junit.jupiter.api.Test;

class FunctionSpecTest {
    private static final FunctionSpec STANDARD = FunctionSpec.standard(Topics.defaults(), "app");

    @Test
    void theStandardFunctionScoresAndTrainsEveryModelOfTheEventsTopic() {
        assertThat(STANDARD.name()).isEqualTo(FunctionSpec.STANDARD_NAME);
        assertThat(STANDARD.kind()).isEqualTo(FunctionSpec.Kind.BOTH);
        assertThat(STANDARD.trigger().topics())
                .containsExactly(Topics.defaults().events());
        assertThat(STANDARD.output()).isEqualTo(Topics.defaults().predictions());
        assertThat(STANDARD.applicationId()).isEqualTo("app");
        assertThat(STANDARD.models()).isEmpty();
    }

    @Test
    void eachWithChangesOnlyItsOwnKey() {
        assertThat(STANDARD.withKind(FunctionSpec.Kind.SCORE))
                .isEqualTo(new FunctionSpec(
                        STANDARD.name(),
                        FunctionSpec.Kind.SCORE,
                        STANDARD.trigger(),
                        STANDARD.models(),
                        STANDARD.output(),
                        STANDARD.batchSize(),
                        STANDARD.batchWindow(),
                        STANDARD.timeout(),
                        STANDARD.retries(),
                        STANDARD.backoff(),
                        STANDARD.maxBackoff(),
                        STANDARD.memoryBytes(),
                        STANDARD.threads(),
                        STANDARD.applicationId(),
                        STANDARD.outputFormat()));
        FunctionSpec json = STANDARD.withMemory(1L << 30).withOutputFormat(FunctionSpec.OutputFormat.JSON);
        assertThat(json.memoryBytes()).isEqualTo(1L << 30);
        assertThat(json.outputFormat()).isEqualTo(FunctionSpec.OutputFormat.JSON);
        assertThat(json.withMemory(STANDARD.memoryBytes()).withOutputFormat(FunctionSpec.OutputFormat.AVRO))
                .isEqualTo(STANDARD);
    }
}
