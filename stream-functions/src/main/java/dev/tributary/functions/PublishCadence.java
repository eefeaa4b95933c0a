package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.schema.ModelSpec;
import java.time.Duration;

/**
 * When a model being trained publishes its next version: after {@code every} examples since the
 * last publication, or once {@code intervalMs} has passed since it with anything learned. The
 * model's {@code publishEvery} and {@code publishIntervalMs}, unless the function's {@code
 * batchSize} and {@code batchWindow} replace them.
 */
record PublishCadence(long every, long intervalMs) {
    private static final Duration TICK = Duration.ofSeconds(1);

    static PublishCadence of(ModelSpec spec, FunctionSpec function) {
        return new PublishCadence(
                function.batchSize() != null ? function.batchSize() : spec.getPublishEvery(),
                function.batchWindow() != null ? function.batchWindow().toMillis() : spec.getPublishIntervalMs());
    }

    /** How often the train function checks its models' intervals: each second, or each batch window if shorter. */
    static Duration tick(FunctionSpec function) {
        Duration window = function.batchWindow();
        return window != null && window.compareTo(TICK) < 0 ? window : TICK;
    }

    /** Whether {@code examplesSeen} is {@link #every} or more past the last publication. */
    boolean dueByCount(long examplesSeen, long publishedExamples) {
        return examplesSeen - publishedExamples >= every;
    }

    /** Whether something was learned since the last publication and its interval is over at {@code now}. */
    boolean dueByTime(long examplesSeen, long publishedExamples, long publishedAt, long now) {
        return examplesSeen > publishedExamples && now - publishedAt >= intervalMs;
    }
}
