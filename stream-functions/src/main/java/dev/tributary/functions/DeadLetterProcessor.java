package dev.tributary.functions;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * A rejected event or feedback record as its dead letter: the original bytes (the first {@link
 * DeadLetters#MAX_VALUE_BYTES} of a larger value, its size in a header), with the reason and the
 * source in headers.
 */
final class DeadLetterProcessor implements FixedKeyProcessor<byte[], Scored, byte[]> {
    private FixedKeyProcessorContext<byte[], byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Scored> record) {
        Scored.Rejected s = (Scored.Rejected) record.value();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.describe(
                headers,
                s.rejection(),
                s.reason(),
                "score",
                s.source().topic(),
                s.source().partition(),
                s.source().offset());
        if (s.rejection() == Rejection.FAILED || s.rejection() == Rejection.TIMED_OUT) {
            DeadLetters.attempts(headers, s.attempts());
        }
        context.forward(
                record.withValue(DeadLetters.value(headers, s.originalValue())).withHeaders(headers));
    }
}
