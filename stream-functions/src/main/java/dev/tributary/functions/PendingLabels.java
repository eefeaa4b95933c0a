package dev.tributary.functions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The events of one score task waiting for their label, in a persistent (RocksDB), changelogged
 * store: nothing of it is on the heap. Three kinds of keys share the store: {@code 'i' MODEL/ID}
 * holds the {@link PendingLabel}, {@code 'f' MODEL/ID} feedback that came before its event ({@link
 * EarlyFeedback}), and {@code 'e'} + when a wait ends (int64, big-endian, so that keys sort by time)
 * + {@code MODEL/ID} indexes both by that time, so that expiry reads only the entries that are due.
 * Writes go through the store's changelog in the task's transaction.
 *
 * <p>It keeps this task's count of entries and of their bytes (keys and values, both kinds), and adds
 * them to the instance's {@link FunctionStats}.
 */
final class PendingLabels {
    static final String STORE = "pending-labels";
    private static final byte ID = 'i';
    private static final byte EARLY = 'f';
    private static final byte EXPIRY = 'e';
    /** Expired entries are read in batches, each through a fresh iterator, so none is modified while open. */
    private static final int BATCH = 512;

    private final KeyValueStore<Bytes, byte[]> store;
    private final FunctionStats stats;
    private long entries;
    private long bytes;

    /** An entry that came due, removed from the store: a pending label, or early feedback. */
    record Due(String model, String id, PendingLabel label, EarlyFeedback early) {}

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray());
    }

    /** Opens the task's store and counts what it holds (restored from the changelog, after a move or crash). */
    PendingLabels(KeyValueStore<Bytes, byte[]> store, FunctionStats stats) {
        this.store = store;
        this.stats = stats;
        for (byte tag : new byte[] {ID, EARLY}) {
            try (KeyValueIterator<Bytes, byte[]> all = store.prefixScan(
                    Bytes.wrap(new byte[] {tag}), Serdes.Bytes().serializer())) {
                all.forEachRemaining(entry -> add(1, entryBytes(entry.key.get().length, entry.value.length)));
            }
        }
    }

    EarlyFeedback early(String model, String id) {
        byte[] value = store.get(key(EARLY, model + "/" + id));
        return value == null ? null : EarlyFeedback.fromBytes(value);
    }

    /** Holds feedback that came before its event until {@code early.expiresAt()}. */
    void putEarly(String model, String id, EarlyFeedback early) {
        Bytes key = key(EARLY, model + "/" + id);
        byte[] value = early.toBytes();
        store.put(key, value);
        add(1, entryBytes(key.get().length, value.length));
        store.put(expiryKey(early.expiresAt(), model, id), new byte[0]);
    }

    /** Removes held feedback once its event has come (its index entry is skipped when it comes due). */
    void removeEarly(String model, String id) {
        Bytes key = key(EARLY, model + "/" + id);
        byte[] old = store.delete(key);
        if (old != null) {
            add(-1, -entryBytes(key.get().length, old.length));
        }
    }

    PendingLabel get(String model, String id) {
        byte[] value = store.get(idKey(model, id));
        return value == null ? null : PendingLabel.fromBytes(value);
    }

    /**
     * Keeps {@code label} under the event's model and id. An entry already there (an id published twice)
     * is replaced; its index entry stays and is skipped when it comes due.
     */
    void put(String model, String id, PendingLabel label) {
        Bytes key = idKey(model, id);
        byte[] value = label.toBytes();
        byte[] old = store.get(key);
        store.put(key, value);
        if (old == null) {
            add(1, entryBytes(key.get().length, value.length));
        } else {
            add(0, value.length - old.length);
        }
        if (old == null || PendingLabel.fromBytes(old).expiresAt() != label.expiresAt()) {
            store.put(expiryKey(label.expiresAt(), model, id), new byte[0]);
        }
    }

    /**
     * Removes the entries whose wait ended at or before {@code now} and returns them (at most {@code
     * max}; the rest at the next call), in the order their waits ended.
     */
    List<Due> expire(long now, int max) {
        List<Due> due = new ArrayList<>();
        Bytes from = Bytes.wrap(
                ByteBuffer.allocate(1 + Long.BYTES).put(EXPIRY).putLong(0).array());
        Bytes to = Bytes.wrap(
                ByteBuffer.allocate(1 + Long.BYTES).put(EXPIRY).putLong(now + 1).array());
        while (due.size() < max) {
            List<Bytes> batch = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
                while (it.hasNext() && batch.size() < Math.min(BATCH, max - due.size())) {
                    KeyValue<Bytes, byte[]> entry = it.next();
                    if (entry.key.get().length > 1 + Long.BYTES) {
                        batch.add(entry.key);
                    }
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            for (Bytes expiryKey : batch) {
                store.delete(expiryKey);
                ByteBuffer k = ByteBuffer.wrap(expiryKey.get());
                k.get();
                long expiresAt = k.getLong();
                String modelAndId = new String(
                        expiryKey.get(),
                        1 + Long.BYTES,
                        expiryKey.get().length - 1 - Long.BYTES,
                        StandardCharsets.UTF_8);
                int slash = modelAndId.indexOf('/');
                String model = modelAndId.substring(0, slash);
                String id = modelAndId.substring(slash + 1);
                Bytes key = idKey(modelAndId);
                byte[] value = store.get(key);
                PendingLabel label = value == null ? null : PendingLabel.fromBytes(value);
                if (label != null && label.expiresAt() == expiresAt) {
                    store.delete(key);
                    add(-1, -entryBytes(key.get().length, value.length));
                    due.add(new Due(model, id, label, null));
                    continue;
                }
                Bytes earlyKey = key(EARLY, modelAndId);
                byte[] held = store.get(earlyKey);
                EarlyFeedback early = held == null ? null : EarlyFeedback.fromBytes(held);
                if (early != null && early.expiresAt() == expiresAt) {
                    store.delete(earlyKey);
                    add(-1, -entryBytes(earlyKey.get().length, held.length));
                    due.add(new Due(model, id, null, early));
                }
                // else: replaced by a later entry for the same id, which has its own index entry
            }
        }
        return due;
    }

    /** The task closes: its entries stay in the store (and its changelog) for the task's next owner. */
    void close() {
        add(-entries, -bytes);
    }

    long entries() {
        return entries;
    }

    long bytes() {
        return bytes;
    }

    private void add(long count, long size) {
        entries += count;
        bytes += size;
        stats.pendingLabels.add(count);
        stats.pendingLabelBytes.add(size);
    }

    /** The id entry's key and value and its index entry's key (the id key's bytes, the time instead of the tag). */
    private static long entryBytes(int idKeyBytes, int valueBytes) {
        return idKeyBytes + valueBytes + idKeyBytes + Long.BYTES;
    }

    private static Bytes idKey(String model, String id) {
        return idKey(model + "/" + id);
    }

    private static Bytes idKey(String modelAndId) {
        return key(ID, modelAndId);
    }

    private static Bytes key(byte tag, String modelAndId) {
        byte[] name = modelAndId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(
                ByteBuffer.allocate(1 + name.length).put(tag).put(name).array());
    }

    private static Bytes expiryKey(long expiresAt, String model, String id) {
        byte[] name = (model + "/" + id).getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + name.length)
                .put(EXPIRY)
                .putLong(expiresAt)
                .put(name)
                .array());
    }
}
