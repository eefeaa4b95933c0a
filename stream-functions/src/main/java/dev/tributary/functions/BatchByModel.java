package dev.tributary.functions;

import dev.tributary.functions.internal.CommitHook;
import dev.tributary.schema.wire.ExampleBatch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys labelled events by their model (one writer per model), gathering each model's examples
 * into one {@link ExampleBatch} per commit: the train side then reads one record per model per
 * commit, not one per event. Each example keeps where it entered (input topic, partition, offset)
 * and its timestamp; {@link Unbatch} gives them back one by one after the re-keying topic.
 *
 * <p>A batch is written just before the task commits ({@link CommitHookStore}), in the same
 * transaction as the offsets of the events in it, so a crash loses nothing: the events are read
 * again and their examples gathered again. A batch reaching {@link #MAX_BATCH_BYTES} is written at
 * once. Without the commit hook every example is written alone, as soon as it comes.
 */
final class BatchByModel implements Processor<byte[], Scored, String, byte[]> {
    /** The {@link CommitHookStore} this processor needs. */
    static final String STORE = "train-batches";
    /** Well below the 1 MB a topic takes by default, whatever the examples' size. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final Map<String, ExampleBatch.Builder> open = new LinkedHashMap<>();
    private ProcessorContext<String, byte[]> context;
    private boolean holdUntilCommit;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        CommitHookStore store = CommitHookStore.of(context.getStateStore(STORE));
        holdUntilCommit = store.commitHooked();
        CommitHook.NodeScope scope = CommitHook.scopeOf(context);
        store.beforeCommit(() -> scope.run(context.currentSystemTimeMs(), this::writeAll));
    }

    @Override
    public void process(Record<byte[], Scored> record) {
        Scored.Trainable s = (Scored.Trainable) record.value();
        ExampleBatch.Builder batch = open.computeIfAbsent(s.model(), m -> new ExampleBatch.Builder());
        Scored.Source source = s.source();
        if (source == null) {
            batch.add(record.timestamp(), null, -1, -1, s.trainingValue());
        } else {
            batch.add(record.timestamp(), source.topic(), source.partition(), source.offset(), s.trainingValue());
        }
        if (!holdUntilCommit || batch.bytes() >= MAX_BATCH_BYTES) {
            write(s.model(), batch);
        }
    }

    /**
     * Kafka Streams commits a task before it closes it cleanly, so nothing is held back here then;
     * after an unclean close the task's uncommitted events are read again.
     */
    @Override
    public void close() {
        open.clear();
    }

    private void writeAll() {
        for (Map.Entry<String, ExampleBatch.Builder> e : open.entrySet()) {
            write(e.getKey(), e.getValue());
        }
        open.clear(); // a model that stops getting examples does not keep a buffer
    }

    private void write(String model, ExampleBatch.Builder batch) {
        if (batch.count() > 0) {
            context.forward(new Record<>(model, batch.toBytes(), batch.maxTimestamp()));
            batch.clear();
        }
    }
}
