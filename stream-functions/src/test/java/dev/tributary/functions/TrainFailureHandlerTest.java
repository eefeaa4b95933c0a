package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecReader;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** A training event that fails on every attempt becomes a dead letter; other exceptions still fail the thread. */
class TrainFailureHandlerTest {
    static final byte[] EVENT =
            "{\"id\":\"t1\",\"model\":\"m\",\"features\":{\"x1\":1},\"label\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void findingTheModelIsRetriedThenTheEventFailsWithItsAttempts() throws Exception {
        RegistryView view = new RegistryView(); // a spec without any version: the trainer cannot start the model
        view.apply(
                RegistryKeys.spec("m"),
                new RegistryRecord(ModelVersions.defaultSpec("m", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                        .build()));
        TrainTaskStores stores = new TrainTaskStores();
        MockProcessorContext<String, RegistryRecord> context = stores.context;
        FunctionSpec function = FunctionSpecReader.read("functions: [{name: t, retries: 1, backoff: 1ms}]", "f")
                .functions()
                .get(0);
        TrainProcessor train = new TrainProcessor(
                new ModelCatalog(view, timeout -> true),
                FunctionsTopology.TRAINER_STORE,
                FunctionsTopology.TRAINER_JOURNAL,
                "test",
                Duration.ZERO,
                Integer.MAX_VALUE,
                new FunctionStats(),
                new EventDecoder(EventLimits.DEFAULT),
                function);
        train.init(context);

        Retries.ExhaustedException e = catchThrowableOfType(
                Retries.ExhaustedException.class, () -> train.process(new Record<>("m", EVENT, 1L)));
        assertThat(e.attempts).isEqualTo(2);
        assertThat(e).hasMessageContaining("model 'm' has a spec but no version");
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void turnsAnExhaustedTrainingEventIntoADeadLetterWithItsSource() {
        TrainFailureHandler handler = new TrainFailureHandler();
        handler.configure(Map.of(TrainFailureHandler.DEAD_LETTERS_TOPIC, "dead"));
        RecordHeaders headers = new RecordHeaders();
        SourceHeaders.add(headers, "tributary.events", 3, 42);
        var exhausted = new Retries.ExhaustedException(4, new IllegalStateException("boom"));

        ProcessingExceptionHandler.Response response = handler.handleError(
                context(headers, FunctionsTopology.TRAIN_NODE), new Record<>("m", EVENT, 1L), exhausted);
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("dead");
        assertThat(dead.value()).isEqualTo(EVENT);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS)).isEqualTo("FAILED");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("train");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ATTEMPTS)).isEqualTo("4");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("tributary.events");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET))
                .isEqualTo("42");

        assertThat(handler.handleError(
                                context(headers, FunctionsTopology.TRAIN_NODE),
                                new Record<>("m", EVENT, 1L),
                                new IllegalStateException("a bug"))
                        .result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    private static ErrorHandlerContext context(Headers headers, String node) {
        return new ErrorHandlerContext() {
            public String topic() {
                return "app-train-by-model-repartition";
            }

            public int partition() {
                return 0;
            }

            public long offset() {
                return 7;
            }

            public Headers headers() {
                return headers;
            }

            public String processorNodeId() {
                return node;
            }

            public TaskId taskId() {
                return new TaskId(1, 0);
            }

            public long timestamp() {
                return 1L;
            }

            public byte[] sourceRawKey() {
                return "m".getBytes(StandardCharsets.UTF_8);
            }

            public byte[] sourceRawValue() {
                return EVENT;
            }
        };
    }
}
