package dev.tributary.bench;

import java.util.List;
import java.util.Map;

/**
 * What one {@code tributary bench} run does.
 *
 * @param events events preloaded into the input topic, each read by every throughput phase
 * @param features numeric features per event (one logistic-regression model over all of them)
 * @param partitions partitions of every topic the bench creates
 * @param threads Kafka Streams threads of each application
 * @param rate offered rate of the latency phase in events/s, or null for {@code ratePercent} of the
 *     measured score throughput of the same guarantee
 * @param ratePercent see {@code rate}
 * @param latencySeconds how long latency is sampled (after a warm-up second)
 * @param swaps how many new model versions are published to time their way to the scorer
 * @param phaseTimeoutSeconds a throughput phase not done by then is reported as partial
 * @param commitIntervalMs Kafka Streams commit.interval.ms ({@code tributary run} uses 100)
 * @param guarantees the processing guarantees to measure, in order
 * @param streamsOverrides extra Kafka Streams properties for every application
 * @param seed seed of the synthetic events
 * @param instances for the scale-out phase: train + score by 1, then by this many {@code tributary
 *     run} processes; 0 for none
 * @param coldStarts trials of the cold-start phase ({@link ColdStartPhase}) per variant; 0 for none
 */
public record BenchSettings(
        long events,
        int features,
        int partitions,
        int threads,
        Double rate,
        double ratePercent,
        int latencySeconds,
        int swaps,
        int phaseTimeoutSeconds,
        int commitIntervalMs,
        List<String> guarantees,
        Map<String, String> streamsOverrides,
        long seed,
        int instances,
        int coldStarts) {

    public static final long DEFAULT_EVENTS = 1_000_000;
    public static final int DEFAULT_FEATURES = 20;
    public static final int DEFAULT_PARTITIONS = 4;
    public static final String EOS = "exactly_once_v2";
    public static final String ALOS = "at_least_once";

    public BenchSettings {
        guarantees = List.copyOf(guarantees);
        streamsOverrides = Map.copyOf(streamsOverrides);
    }

    /** The offered rate of the latency phase, given the score throughput measured with the same guarantee. */
    public double latencyRate(Double scoreThroughput) {
        if (rate != null) {
            return rate;
        }
        double base = scoreThroughput == null || scoreThroughput <= 0 ? 10_000 : scoreThroughput;
        return Math.max(100, base * ratePercent / 100.0);
    }
}
