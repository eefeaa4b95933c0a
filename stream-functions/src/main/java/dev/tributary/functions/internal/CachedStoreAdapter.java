package dev.tributary.functions.internal;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that Kafka Streams flushes as a caching store when its task prepares a commit: the flush
 * runs the hook; everything else is the wrapped store's. Made only by {@link CommitHook}, after it
 * checked that the interface is there.
 */
final class CachedStoreAdapter extends ForwardingStateStore
        implements CachedStateStore<Object, Object>, CommitHook.Wrapper {
    private final StateStore inner;
    private final Runnable beforeCommit;

    CachedStoreAdapter(StateStore inner, Runnable beforeCommit) {
        super(inner);
        this.inner = inner;
        this.beforeCommit = beforeCommit;
    }

    @Override
    public StateStore wrapped() {
        return inner;
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    @Override
    public void clearCache() {}

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }
}
