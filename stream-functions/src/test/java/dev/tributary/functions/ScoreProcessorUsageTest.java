package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.Routing;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** When the score function writes its usage counts to the task's usage store: at commits, or at every event without the hook. */
class ScoreProcessorUsageTest {
    private static final String EVENT = "{\"id\":\"e\",\"model\":\"spam\",\"features\":{\"x1\":1}}";

    private final MockProcessorContext<byte[], Scored> context = new MockProcessorContext<>();
    private final KeyValueStore<String, byte[]> usageStore = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(FunctionsTopology.USAGE_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    private CommitHookStore commits;
    private ScoreProcessor processor;

    private void start(boolean hookCommits) {
        StateStore registered = CommitHookStore.builder(ScoreProcessor.USAGE_COMMITS, hookCommits)
                .build();
        commits = CommitHookStore.of(registered);
        registered.init(context.getStateStoreContext(), registered);
        usageStore.init(context.getStateStoreContext(), usageStore);
        context.addStateStore(registered);
        context.addStateStore(usageStore);
        context.setCurrentSystemTimeMs(1_000L);
        context.setRecordMetadata("events", 0, 0);
        restart();
    }

    /** A new processor for the task, as after a crash: the stores hold what was committed. */
    private void restart() {
        processor = new ScoreProcessor(
                ScoreOnlyTopologyTest.catalogWithOneModel(),
                new EventDecoder(EventLimits.DEFAULT),
                Duration.ZERO,
                new FunctionStats(),
                Routing.alone(FunctionSpec.standard(Topics.defaults(), FunctionSpec.STANDARD_NAME)
                        .withKind(FunctionSpec.Kind.SCORE)),
                FunctionsTopology.USAGE_STORE,
                FunctionsTopology.Metering.DEFAULT,
                "test-instance");
        processor.init(context);
    }

    private void score() {
        processor.process(new Record<>(new byte[0], EVENT.getBytes(StandardCharsets.UTF_8), 1L));
    }

    private Long storedInvocations() {
        byte[] saved = usageStore.get("spam");
        return saved == null ? null : UsageTally.fromBytes(saved).invocations;
    }

    @Test
    void countsAreWrittenOncePerCommitWithTheHook() {
        start(true);
        assertThat(commits.commitHooked()).isTrue();
        score();
        score();
        score();
        assertThat(storedInvocations()).as("not before the commit").isNull();

        commits.prepareCommit();
        assertThat(storedInvocations()).isEqualTo(3);

        score();
        commits.prepareCommit();
        assertThat(storedInvocations()).isEqualTo(4);
    }

    @Test
    void withoutTheHookEveryEventIsWrittenAsItIsCounted() {
        start(false);
        assertThat(commits.commitHooked()).isFalse();
        score();
        assertThat(storedInvocations()).isEqualTo(1);
        score();
        assertThat(storedInvocations()).isEqualTo(2);
    }

    @Test
    void aRestartedTaskCarriesOnFromTheCommittedCounts() {
        start(true);
        score();
        score();
        commits.prepareCommit();
        score(); // not committed: the event is read again after the restart

        restart();
        score();
        commits.prepareCommit();
        assertThat(storedInvocations()).isEqualTo(3);
    }
}
