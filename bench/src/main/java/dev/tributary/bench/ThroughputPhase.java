package dev.tributary.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One throughput measurement: a fresh Kafka Streams application (its own application id, so it
 * reads the input from the beginning) runs a topology over the preloaded input.
 *
 * <p>The clock starts when a stream thread first has active tasks (partitions assigned), or when the
 * application reaches RUNNING if that is seen first (checked every 5 ms); the time to get there is
 * reported apart as startup. It stops at the first poll (every ~100 ms) that finds the application
 * done by its committed offsets ({@link CommittedProgress}). Throughput is
 * the number of input events over that time. A phase stopped by its timeout reports the events
 * committed by then (for train + score: by the train sub-topology) over the time it ran.
 */
public final class ThroughputPhase {
    private static final long POLL_MS = 100;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    /**
     * @param topology pass-through, score, or train + score
     * @param seconds from the first task assignment until the committed offsets reached the end offsets (or the timeout)
     * @param startupSeconds from {@code KafkaStreams.start()} until the first task assignment
     * @param events input events committed when the clock stopped (all of them unless {@code complete} is false)
     */
    public record Result(
            String topology,
            String guarantee,
            String applicationId,
            long events,
            double seconds,
            double startupSeconds,
            boolean complete) {
        public double eventsPerSecond() {
            return events / Math.max(seconds, 1e-9);
        }
    }

    private ThroughputPhase() {}

    static Result run(
            Admin admin,
            Properties props,
            Topology topology,
            String topologyName,
            String guarantee,
            Map<TopicPartition, Long> inputEnd,
            List<String> internalSourceTopics,
            int timeoutSeconds,
            Consumer<String> progress)
            throws InterruptedException {
        String applicationId = props.getProperty("application.id");
        long total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
        AtomicLong runningAt = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                runningAt.compareAndSet(0, System.nanoTime());
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            long started = System.nanoTime();
            streams.start();
            long clockStart = 0;
            while (clockStart == 0) {
                check(streams, failure, topologyName);
                if (System.nanoTime() - started > STARTUP_TIMEOUT.toNanos()) {
                    throw new IllegalStateException(topologyName + " did not reach RUNNING within "
                            + STARTUP_TIMEOUT.toSeconds() + " s (state " + streams.state() + ")");
                }
                if (runningAt.get() != 0) {
                    clockStart = runningAt.get();
                } else if (hasActiveTasks(streams)) {
                    // With several threads, one may process while the client is still REBALANCING.
                    clockStart = System.nanoTime();
                } else {
                    Thread.sleep(5);
                }
            }
            long deadline = clockStart + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long lastProgress = clockStart;
            CommittedProgress progressOf = new CommittedProgress(admin, applicationId, inputEnd, internalSourceTopics);
            while (true) {
                Thread.sleep(POLL_MS);
                check(streams, failure, topologyName);
                CommittedProgress.Snapshot now = progressOf.poll();
                long at = System.nanoTime();
                double seconds = (at - clockStart) / 1e9;
                if (now.done() || at > deadline) {
                    return new Result(
                            topologyName,
                            guarantee,
                            applicationId,
                            now.consumed(),
                            seconds,
                            (clockStart - started) / 1e9,
                            now.done());
                }
                if (at - lastProgress >= PROGRESS_EVERY_NANOS) {
                    lastProgress = at;
                    progress.accept(progressLine(topologyName, guarantee, now.consumed(), total, seconds));
                }
            }
        } finally {
            StreamsApps.close(streams);
        }
    }

    private static boolean hasActiveTasks(KafkaStreams streams) {
        try {
            return streams.metadataForLocalThreads().stream()
                    .anyMatch(t -> !t.activeTasks().isEmpty());
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private static void check(KafkaStreams streams, AtomicReference<Throwable> failure, String name) {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException(name + " failed: " + t, t);
        }
        KafkaStreams.State s = streams.state();
        if (s == KafkaStreams.State.ERROR
                || s == KafkaStreams.State.NOT_RUNNING
                || s == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException(name + " stopped (state " + s + ")");
        }
    }

    static String progressLine(String topologyName, String guarantee, long consumed, long total, double seconds) {
        return String.format(
                java.util.Locale.ROOT,
                "%s, %s: %,d of %,d events committed (%.0f %%, %,.0f events/s)",
                topologyName,
                guarantee,
                consumed,
                total,
                100.0 * consumed / Math.max(total, 1),
                consumed / seconds);
    }

    static Map<TopicPartition, Long> endOffsets(
            Admin admin, java.util.Collection<TopicPartition> partitions, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(isolation))
                    .all()
                    .get(15, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the end offsets of " + partitions + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
