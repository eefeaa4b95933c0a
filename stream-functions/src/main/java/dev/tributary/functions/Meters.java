package dev.tributary.functions;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/** The kinds of meter {@link FunctionMetrics} and {@link FeedbackMetrics} register, each with an instance's tags. */
final class Meters {
    private Meters() {}

    /** A counter read from {@code stats} when scraped. Micrometer holds {@code stats} weakly: it lives as long as the runner. */
    static void counter(
            MeterRegistry registry,
            String name,
            String description,
            Tags tags,
            FunctionStats stats,
            ToDoubleFunction<FunctionStats> count) {
        FunctionCounter.builder(name, stats, count)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** A histogram of durations expected between {@code min} and {@code max}, published with its buckets. */
    static Timer histogram(
            MeterRegistry registry, String name, String description, Tags tags, Duration min, Duration max) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(min)
                .maximumExpectedValue(max)
                .register(registry);
    }
}
