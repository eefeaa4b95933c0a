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

/** Kafka Streams runs the store's hook as a task prepares each commit, and what it writes is in the store. */
class TrainerStateStoreTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec("m", Algorithm.LINEAR_REGRESSION, List.of("x"))
            .build();

    /** Counts its records and writes the count only from the commit hook. */
    private static final class CountAtCommit implements Processor<String, String, Void, Void> {
        private TrainerStateStore store;
        private long seen;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(FunctionsTopology.TRAINER_STORE);
            store.beforeCommit(
                    () -> store.put("m", new TrainerState(ModelSpecs.initialVersion(SPEC, 1L), seen, 0L, null)));
        }

        @Override
        public void process(Record<String, String> record) {
            seen++;
        }
    }

    @Test
    void theHookRunsBeforeEachCommitAndItsWritesLand() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
        topology.addProcessor("count", CountAtCommit::new, "in");
        topology.addStateStore(
                TrainerStateStore.builder(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(FunctionsTopology.TRAINER_STORE),
                        Serdes.String(),
                        TributarySerdes.trainerState())),
                "count");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "hook");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            TrainerStateStore store = (TrainerStateStore) driver.getStateStore(FunctionsTopology.TRAINER_STORE);
            in.pipeInput("k", "a");
            assertThat(store.get("m").getPublishedExamples()).isEqualTo(1);
            in.pipeInput("k", "b");
            in.pipeInput("k", "c");
            assertThat(store.get("m").getPublishedExamples()).isEqualTo(3);
        }
    }
}
