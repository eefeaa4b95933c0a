package dev.tributary.functions;

import dev.tributary.functions.internal.CommitHook;
import dev.tributary.functions.internal.ForwardingStateStore;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A store that keeps nothing (in memory, no changelog): connected to a processor so that the
 * processor can run code just before each commit of its task ({@link CommitHook}), in the commit's
 * transaction. Without the hook ({@link #commitHooked} false), nothing runs at commits and the
 * processor must not hold anything back.
 */
final class CommitHookStore extends ForwardingStateStore {
    private final boolean commitHooked;
    private Runnable beforeCommit = () -> {};

    private CommitHookStore(StateStore inner, boolean commitHooked) {
        super(inner);
        this.commitHooked = commitHooked;
    }

    /** This store, from the one the topology registered ({@code context.getStateStore}). */
    static CommitHookStore of(StateStore registered) {
        return (CommitHookStore) CommitHook.unwrap(registered);
    }

    /** Runs {@code hook} on the task's thread each time the task is about to commit (replaces any earlier hook). */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /** Whether {@link #beforeCommit} hooks run at all. */
    boolean commitHooked() {
        return commitHooked;
    }

    /** What the task's commit runs (through {@link CommitHook}). */
    void prepareCommit() {
        beforeCommit.run();
    }

    static StoreBuilder<StateStore> builder(String name) {
        return builder(name, true);
    }

    /** As {@link #builder(String)}; without {@code hookCommits}, as when the hook is not available. */
    static StoreBuilder<StateStore> builder(String name, boolean hookCommits) {
        return new Builder(name, hookCommits);
    }

    private record Builder(String name, boolean hookCommits) implements StoreBuilder<StateStore> {
        @Override
        public StoreBuilder<StateStore> withCachingEnabled() {
            throw new UnsupportedOperationException("a commit hook store keeps nothing to cache");
        }

        @Override
        public StoreBuilder<StateStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<StateStore> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("a commit hook store keeps nothing to log");
        }

        @Override
        public StoreBuilder<StateStore> withLoggingDisabled() {
            return this;
        }

        @Override
        public StateStore build() {
            CommitHookStore store = new CommitHookStore(
                    Stores.inMemoryKeyValueStore(name).get(), hookCommits && CommitHook.available());
            return store.commitHooked ? CommitHook.notifying(store, store::prepareCommit) : store;
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
