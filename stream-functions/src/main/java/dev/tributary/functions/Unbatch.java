package dev.tributary.functions;

import dev.tributary.schema.wire.ExampleBatch;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The examples of a {@link BatchByModel} batch, one record each, with the timestamp it had and where
 * it entered ({@link SourceHeaders}): what the drift, compare and train processors read. A record
 * that is one example (written by an earlier release) passes as it is.
 */
final class Unbatch implements Processor<String, byte[], String, byte[]> {
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (!ExampleBatch.matches(record.value())) {
            context.forward(record);
            return;
        }
        for (ExampleBatch.Entry e : ExampleBatch.read(record.value())) {
            RecordHeaders headers = new RecordHeaders();
            if (e.topic() != null) {
                SourceHeaders.add(headers, e.topic(), e.partition(), e.offset());
            }
            context.forward(new Record<>(record.key(), e.example(), e.timestamp(), headers));
        }
    }
}
