package dev.tributary.functions;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' processing exception handler of the functions: a training event that failed on
 * every attempt ({@link Retries}) becomes a dead letter (in the same transaction as the rest of the
 * task's output) and the function goes on. Any other exception fails the stream thread, as Kafka
 * Streams does by default; the runner then replaces the thread.
 *
 * <p>The dead letter's value is the example as the train function received it (as the score function
 * featurized it, or the input value as it arrived for records of earlier releases); its key is the
 * model name, as the original key does not travel through the re-keying.
 */
public final class TrainFailureHandler implements ProcessingExceptionHandler {
    /** The streams configuration entry naming the dead-letter topic. */
    public static final String DEAD_LETTERS_TOPIC = "tributary.dead.letters.topic";

    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(DEAD_LETTERS_TOPIC);
        topic = name == null ? null : name.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Retries.ExhaustedException exhausted = exhausted(exception);
        if (exhausted == null || topic == null || !FunctionsTopology.TRAIN_NODE.equals(context.processorNodeId())) {
            return Response.fail();
        }
        RecordHeaders headers = new RecordHeaders();
        SourceHeaders.Source source = SourceHeaders.source(context.headers())
                .orElse(new SourceHeaders.Source(context.topic(), context.partition(), context.offset()));
        DeadLetters.describe(
                headers,
                Rejection.FAILED,
                exhausted.getMessage(),
                "train",
                source.topic(),
                source.partition(),
                source.offset());
        DeadLetters.attempts(headers, exhausted.attempts);
        // The example that failed: the record read from the re-keying topic may be a batch of them.
        byte[] failed = record.value() instanceof byte[] example ? example : context.sourceRawValue();
        byte[] value = DeadLetters.value(headers, failed);
        return Response.resume(List.of(new ProducerRecord<>(topic, null, context.sourceRawKey(), value, headers)));
    }

    private static Retries.ExhaustedException exhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Retries.ExhaustedException x) {
                return x;
            }
        }
        return null;
    }
}
