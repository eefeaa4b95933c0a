package dev.tributary.functions;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys a labelled event by its model (one writer per model) and notes where it came from. The
 * value is the example as the score function featurized it ({@link FeaturizedExample}): the
 * train side learns from it without decoding the event again.
 */
final class KeyByModel implements Processor<byte[], Scored, String, byte[]> {
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Scored> record) {
        Scored.Trainable s = (Scored.Trainable) record.value();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        SourceHeaders.add(
                headers, s.source().topic(), s.source().partition(), s.source().offset());
        context.forward(new Record<>(s.model(), s.trainingValue(), record.timestamp(), headers));
    }
}
