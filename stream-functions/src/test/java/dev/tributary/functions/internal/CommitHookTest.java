package dev.tributary.functions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class CommitHookTest {
    /** An interface as {@code CachedStateStore} would be if it gained a method. */
    interface Changed {
        void flushCache();

        void clearCache();

        boolean setFlushListener(Object listener, boolean sendOldValues);

        void flushCacheAndWait();
    }

    @Test
    void theKafkaStreamsOfThisBuildHasTheInterfaceTheAdapterImplements() {
        assertThat(CommitHook.problem(
                        CommitHook.CACHED_STATE_STORE, CommitHook.STATE_MANAGER, CommitHook.PROCESSOR_CONTEXT))
                .isNull();
        assertThat(CommitHook.available()).isTrue();
    }

    @Test
    void aMissingOrChangedInterfaceIsFoundWithoutLoadingTheAdapter() {
        assertThat(CommitHook.problem(
                        "org.apache.kafka.streams.state.internals.NoSuchStore",
                        CommitHook.STATE_MANAGER,
                        CommitHook.PROCESSOR_CONTEXT))
                .contains("NoSuchStore");
        assertThat(CommitHook.problem(
                        CommitHook.CACHED_STATE_STORE,
                        "org.apache.kafka.streams.NoSuchManager",
                        CommitHook.PROCESSOR_CONTEXT))
                .contains("NoSuchManager");
        assertThat(CommitHook.problem(Changed.class.getName(), CommitHook.STATE_MANAGER, CommitHook.PROCESSOR_CONTEXT))
                .contains("flushCacheAndWait");
        assertThat(CommitHook.problem(String.class.getName(), CommitHook.STATE_MANAGER, CommitHook.PROCESSOR_CONTEXT))
                .contains("not an interface");
        assertThat(CommitHook.problem(
                        CommitHook.CACHED_STATE_STORE, CommitHook.STATE_MANAGER, Runnable.class.getName()))
                .contains("lacks one of");
    }

    @Test
    void outsideKafkaStreamsContextsANodeScopeJustRunsTheAction() {
        int[] runs = {0};
        CommitHook.scopeOf(new Object()).run(1L, () -> runs[0]++);
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void theAdapterRunsTheHookAtTheCacheFlushAndGivesBackTheStore() {
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.String())
                .withLoggingDisabled()
                .build();
        int[] runs = {0};
        StateStore registered = CommitHook.notifying(store, () -> runs[0]++);
        assertThat(registered).isNotSameAs(store).isInstanceOf(CommitHook.Wrapper.class);
        assertThat(registered.name()).isEqualTo("s");
        assertThat(CommitHook.unwrap(registered)).isSameAs(store);
        assertThat(CommitHook.unwrap(store)).isSameAs(store);
        ((org.apache.kafka.streams.state.internals.CachedStateStore<?, ?>) registered).flushCache();
        assertThat(runs[0]).isEqualTo(1);
    }
}
