package dev.tributary.functions;

import dev.tributary.functions.internal.CommitHook;
import dev.tributary.functions.internal.ForwardingStateStore;
import dev.tributary.schema.TrainerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The trainer's checkpoints ({@code trainer-state}): a changelogged key-value store of {@link
 * TrainerState} per model, plus a hook that runs just before each commit of its task.
 *
 * <p>The hook is how the train function writes its state once per commit instead of once per
 * example: the store is registered behind {@link CommitHook}, which runs it as the task prepares
 * its commit, before Kafka Streams flushes the producer and commits the transaction with the input
 * offsets; so the checkpoint written by the hook is in the same transaction as the offsets of the
 * examples it contains. When the hook is not available ({@link #commitHooked} is false), {@link
 * #changed} runs it after every change instead: each record's writes are then in its own
 * transaction, as correct, with more writes.
 */
final class TrainerStateStore extends ForwardingStateStore {
    private final KeyValueStore<String, TrainerState> inner;
    private final boolean commitHooked;
    private Runnable beforeCommit = () -> {};

    TrainerStateStore(KeyValueStore<String, TrainerState> inner, boolean commitHooked) {
        super(inner);
        this.inner = inner;
        this.commitHooked = commitHooked;
    }

    /**
     * A builder of this store around {@code inner}'s (which decides logging; caching would add
     * nothing), hooked to the task's commits when {@link CommitHook#available}.
     */
    static StoreBuilder<StateStore> builder(StoreBuilder<KeyValueStore<String, TrainerState>> inner) {
        return builder(inner, true);
    }

    /** As {@link #builder(StoreBuilder)}; without {@code hookCommits}, as when the hook is not available. */
    static StoreBuilder<StateStore> builder(
            StoreBuilder<KeyValueStore<String, TrainerState>> inner, boolean hookCommits) {
        return new Builder(inner, hookCommits);
    }

    /** This store, from the one the topology registered ({@code context.getStateStore}). */
    static TrainerStateStore of(StateStore registered) {
        return (TrainerStateStore) CommitHook.unwrap(registered);
    }

    TrainerState get(String model) {
        return inner.get(model);
    }

    void put(String model, TrainerState state) {
        inner.put(model, state);
    }

    /**
     * Runs {@code hook} on the task's thread each time the task is about to commit (replaces any
     * earlier hook); without the commit hook, at each {@link #changed} instead.
     */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /** Whether the hook runs at each commit; else it runs at each {@link #changed}. */
    boolean commitHooked() {
        return commitHooked;
    }

    /** Called after each record or punctuation that may have changed what the hook writes. */
    void changed() {
        if (!commitHooked) {
            beforeCommit.run();
        }
    }

    /** What the task's commit runs (through {@link CommitHook}). */
    void prepareCommit() {
        beforeCommit.run();
    }

    /** The models with a state here: after a restore, those the task's previous owner trained. */
    List<String> models() {
        List<String> models = new ArrayList<>();
        try (KeyValueIterator<String, TrainerState> all = inner.all()) {
            all.forEachRemaining(entry -> models.add(entry.key));
        }
        return models;
    }

    private record Builder(StoreBuilder<KeyValueStore<String, TrainerState>> inner, boolean hookCommits)
            implements StoreBuilder<StateStore> {
        @Override
        public StoreBuilder<StateStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the trainer state writes at commit by itself");
        }

        @Override
        public StoreBuilder<StateStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<StateStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config), hookCommits);
        }

        @Override
        public StoreBuilder<StateStore> withLoggingDisabled() {
            return new Builder(inner.withLoggingDisabled(), hookCommits);
        }

        @Override
        public StateStore build() {
            boolean hooked = hookCommits && CommitHook.available();
            TrainerStateStore store = new TrainerStateStore(inner.build(), hooked);
            return hooked ? CommitHook.notifying(store, store::prepareCommit) : store;
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
