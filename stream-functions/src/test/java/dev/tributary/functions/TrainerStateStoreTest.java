package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.serde.TributarySerdes;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams runs the store's hook as a task prepares each commit, and what it writes is in the
 * store; without the commit hook, the hook runs at each change instead, and never at a commit.
 */
class TrainerStateStoreTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec("m", Algorithm.LINEAR_REGRESSION, List.of("x"))
            .build();

    /** Counts its records and writes the count only from the hook; a record "changed" says it changed the state. */
    private static final class CountAtCommit implements Processor<String, String, Void, Void> {
        private TrainerStateStore store;
        private long seen;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = TrainerStateStore.of(context.getStateStore(FunctionsTopology.TRAINER_STORE));
            store.beforeCommit(
                    () -> store.put("m", new TrainerState(ModelSpecs.initialVersion(SPEC, 1L), seen, 0L, null)));
        }

        @Override
        public void process(Record<String, String> record) {
            seen++;
            if (record.value().equals("changed")) {
                store.changed();
            }
        }
    }

    /** A task counting its records into the store from the hook, committing after each record. */
    private static final class Task implements AutoCloseable {
        final TopologyTestDriver driver;
        final TrainerStateStore store;
        private final TestInputTopic<String, String> in;

        Task(boolean hookCommits) {
            Topology topology = new Topology();
            topology.addSource(
                    "in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
            topology.addProcessor("count", CountAtCommit::new, "in");
            topology.addStateStore(
                    TrainerStateStore.builder(
                            Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(FunctionsTopology.TRAINER_STORE),
                                    Serdes.String(),
                                    TributarySerdes.trainerState()),
                            hookCommits),
                    "count");
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "hook");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
            driver = new TopologyTestDriver(topology, props);
            in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            store = TrainerStateStore.of(driver.getStateStore(FunctionsTopology.TRAINER_STORE));
        }

        void pipe(String value) {
            in.pipeInput("k", value);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    @Test
    void theHookRunsBeforeEachCommitAndItsWritesLand() {
        try (Task task = new Task(true)) {
            assertThat(task.store.commitHooked()).isTrue();
            task.pipe("a");
            assertThat(task.store.get("m").getPublishedExamples()).isEqualTo(1);
            task.pipe("b");
            task.pipe("c");
            assertThat(task.store.get("m").getPublishedExamples()).isEqualTo(3);
        }
    }

    @Test
    void withoutTheCommitHookTheHookRunsAtEachChangeAndNotAtCommits() {
        try (Task task = new Task(false)) {
            assertThat(task.store.commitHooked()).isFalse();
            task.pipe("a");
            assertThat(task.store.get("m")).as("committed, but not changed").isNull();
            task.pipe("changed");
            assertThat(task.store.get("m").getPublishedExamples()).isEqualTo(2);
        }
    }
}
