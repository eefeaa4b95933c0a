package dev.tributary.functions;

import dev.tributary.schema.wire.ExampleBatch;
import org.apache.kafka.common.header.Header;
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
    private static final Header[] NO_HEADERS = {};

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
        for (ExampleBatch.Reader r = ExampleBatch.reader(record.value()); r.next(); ) {
            Header[] source = r.topic() == null
                    ? NO_HEADERS
                    : new Header[] {new SourceHeaders.Source(r.topic(), r.partition(), r.offset())};
            context.forward(new Record<>(record.key(), r.example(), r.timestamp(), new RecordHeaders(source)));
        }
    }
}
