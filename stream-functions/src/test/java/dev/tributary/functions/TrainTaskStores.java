package dev.tributary.functions;

import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.serde.TributarySerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A train task's context and stores, in memory, which outlive its processor as the changelog
 * outlives an instance. With the commit hook, nothing reaches the stores between two {@link
 * #commit}s, as in a transaction that a crash aborts; without it, the processor writes as it goes.
 */
final class TrainTaskStores {
    final MockProcessorContext<String, RegistryRecord> context = new MockProcessorContext<>();
    /** The trainer-state store as the topology registers it (behind the commit hook's adapter, if any). */
    final StateStore registered;

    final TrainerStateStore state;
    final KeyValueStore<String, TrainingExample> journal = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(FunctionsTopology.TRAINER_JOURNAL),
                    Serdes.String(),
                    TributarySerdes.trainingExample())
            .withLoggingDisabled()
            .build();

    TrainTaskStores() {
        this(true);
    }

    /** @param commitHook false: as when Kafka Streams has no commit hook to offer */
    TrainTaskStores(boolean commitHook) {
        registered = TrainerStateStore.builder(
                        Stores.keyValueStoreBuilder(
                                        Stores.inMemoryKeyValueStore(FunctionsTopology.TRAINER_STORE),
                                        Serdes.String(),
                                        TributarySerdes.trainerState())
                                .withLoggingDisabled(),
                        commitHook)
                .build();
        state = TrainerStateStore.of(registered);
        context.setCurrentSystemTimeMs(1_000L);
        registered.init(context.getStateStoreContext(), registered);
        journal.init(context.getStateStoreContext(), journal);
        context.addStateStore(registered);
        context.addStateStore(journal);
    }

    /** What Kafka Streams does to the stores as the task prepares a commit (nothing, without the hook). */
    void commit() {
        if (state.commitHooked()) {
            state.prepareCommit();
        }
    }

    /** Journal entries of examples after the model's checkpoint (older slots are dead). */
    long liveJournalEntries(String model) {
        long checkpoint = state.get(model).getCurrent().getExamplesSeen();
        long live = 0;
        try (var all = journal.all()) {
            while (all.hasNext()) {
                if (all.next().value.getSequence() > checkpoint) {
                    live++;
                }
            }
        }
        return live;
    }
}
