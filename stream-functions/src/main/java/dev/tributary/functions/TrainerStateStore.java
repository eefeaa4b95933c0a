package dev.tributary.functions;

import dev.tributary.schema.TrainerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The trainer's checkpoints ({@code trainer-state}): a changelogged key-value store of {@link
 * TrainerState} per model, plus a hook that runs just before each commit of its task.
 *
 * <p>The hook is how the train function writes its state once per commit instead of once per
 * example. Kafka Streams flushes every store's cache ({@link CachedStateStore#flushCache}) when a
 * task prepares its commit, before it flushes the producer and commits the transaction with the
 * input offsets; the caching stores of Kafka Streams write their dirty entries to the changelog
 * at that point. This store does the same for what the train function hands it, so the checkpoint
 * written by the hook is in the same transaction as the offsets of the examples it contains.
 * ({@code CachedStateStore} is an internal interface of Kafka Streams 4.4: {@code
 * TrainerStateStoreTest} and the integration tests pin this behaviour.)
 */
final class TrainerStateStore implements StateStore, CachedStateStore<String, TrainerState> {
    private final KeyValueStore<String, TrainerState> inner;
    private Runnable beforeCommit = () -> {};

    TrainerStateStore(KeyValueStore<String, TrainerState> inner) {
        this.inner = inner;
    }

    /** A builder of this store around {@code inner}'s (which decides logging; caching would add nothing). */
    static StoreBuilder<TrainerStateStore> builder(StoreBuilder<KeyValueStore<String, TrainerState>> inner) {
        return new Builder(inner);
    }

    TrainerState get(String model) {
        return inner.get(model);
    }

    void put(String model, TrainerState state) {
        inner.put(model, state);
    }

    /** Runs {@code hook} on the task's thread each time the task is about to commit (replaces any earlier hook). */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /** The models with a state here: after a restore, those the task's previous owner trained. */
    List<String> models() {
        List<String> models = new ArrayList<>();
        try (KeyValueIterator<String, TrainerState> all = inner.all()) {
            all.forEachRemaining(entry -> models.add(entry.key));
        }
        return models;
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    @Override
    public void clearCache() {}

    @Override
    public boolean setFlushListener(CacheFlushListener<String, TrainerState> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
        return inner.query(query, bound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    private record Builder(StoreBuilder<KeyValueStore<String, TrainerState>> inner)
            implements StoreBuilder<TrainerStateStore> {
        @Override
        public StoreBuilder<TrainerStateStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the trainer state writes at commit by itself");
        }

        @Override
        public StoreBuilder<TrainerStateStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<TrainerStateStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<TrainerStateStore> withLoggingDisabled() {
            return new Builder(inner.withLoggingDisabled());
        }

        @Override
        public TrainerStateStore build() {
            return new TrainerStateStore(inner.build());
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
