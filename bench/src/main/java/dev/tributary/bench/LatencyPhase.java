package dev.tributary.bench;

import dev.tributary.functions.FunctionStats;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.Clients;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Latency and model-swap time of the score function at a fixed offered rate, on topics of its own
 * (so no backlog): events are made and timestamped as they are sent, at the rate, by an {@link
 * EventPublisher}; a {@link PredictionReader} (read_committed) times each prediction. After a
 * warm-up second, latency is sampled for a few seconds; then, while events keep flowing, new
 * versions with distinct weights are published (and made champion if the model has one) and
 * timed until the first prediction stamped with each is received.
 *
 * <p>The same set-up with train + score instead measures freshness in a steady stream ({@link Freshness}):
 * the train function publishes the versions, so no swap is timed.
 */
public final class LatencyPhase {
    static final long WARMUP_MS = 1000;
    private static final long SWAP_TIMEOUT_MS = 30_000;
    private static final long DRAIN_TIMEOUT_MS = 15_000;

    /**
     * @param offeredRate the rate asked of the publisher (events/s)
     * @param achievedRate events sent per second while latency was sampled
     * @param latency event timestamp → read_committed receive time, ms; null if no sample
     * @param swapMs per new version: from just before {@code publishVersion} until its first prediction was received
     * @param publishMs per new version: how long {@code publishVersion} (and {@code setAlias}) took
     * @param missing events sent whose predictions were not received by the end (0 expected)
     */
    public record Result(
            String guarantee,
            String applicationId,
            double offeredRate,
            double achievedRate,
            Percentiles.Summary latency,
            List<Long> swapMs,
            List<Long> publishMs,
            long sent,
            long missing) {}

    private LatencyPhase() {}

    /**
     * One run at {@code rate} events/s. With {@code train}, train + score instead of the score function alone, no
     * model swaps (the train function publishes the versions), and the freshness of the sampled predictions goes to
     * {@code freshness}.
     */
    static Result run(
            Map<String, Object> client,
            Admin admin,
            String prefix,
            String guarantee,
            double rate,
            BenchSettings settings,
            Path stateDir,
            Consumer<String> progress,
            boolean train,
            Consumer<Freshness.Result> freshness)
            throws InterruptedException {
        String key = (train ? "steady-" : "latency-") + Guarantees.shortName(guarantee);
        Topics topics = new Topics(
                prefix + "." + key + ".events",
                prefix + "." + key + ".predictions",
                prefix + "." + key + ".models",
                prefix + "." + key + ".dead-letters",
                prefix + "." + key + ".usage");
        topics.ensure(admin, settings.partitions());
        String model = BenchRun.MODEL;
        ModelSpec spec = BenchRun.spec(settings.features());
        String applicationId = prefix + "-" + key;
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            ModelRegistry registry = new ModelRegistry(client, topics.models(), Duration.ofSeconds(30));
            resources.add(0, registry);
            registry.createModel(spec);
            RegistryFollower follower =
                    new RegistryFollower(client, topics.models(), RegistryView.forServing()).start();
            resources.add(0, follower);
            if (!follower.awaitCaughtUp(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the registry " + topics.models() + " could not be read");
            }
            ModelCatalog catalog = new ModelCatalog(follower.view(), follower::awaitCaughtUp);
            Properties props = StreamsApps.functionProperties(client, applicationId, stateDir, guarantee, settings);
            KafkaStreams streams = new KafkaStreams(
                    FunctionsTopology.build(
                            topics, catalog, FunctionsTopology.Settings.defaults("bench"), new FunctionStats(), train),
                    props);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            resources.add(0, () -> {
                StreamsApps.close(streams);
            });
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (failure.get() != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the score function did not reach RUNNING (state " + streams.state() + ")", failure.get());
                }
                Thread.sleep(20);
            }
            PredictionReader reader = new PredictionReader(client, topics.predictions());
            if (train) {
                reader.recordFreshness(new Freshness(follower.view()));
            }
            reader.start();
            resources.add(0, reader);
            Feeder feeder = new Feeder(
                    new EventPublisher(Clients.bounded(client), topics.events(), rate),
                    new SyntheticStream(
                            model,
                            Algorithm.LOGISTIC_REGRESSION,
                            settings.features(),
                            settings.seed() + 1,
                            Long.MAX_VALUE));
            resources.add(0, feeder);
            feeder.start();
            progress.accept(String.format(
                    java.util.Locale.ROOT,
                    (train ? "train+score, steady" : "latency")
                            + ", %s: offering %,.0f events/s for %d s (after %.0f s of warm-up)",
                    guarantee,
                    rate,
                    settings.latencySeconds(),
                    WARMUP_MS / 1000.0));
            Thread.sleep(WARMUP_MS);
            long from = System.currentTimeMillis();
            long sentBefore = feeder.sent();
            reader.window(from, from + settings.latencySeconds() * 1000L);
            Thread.sleep(settings.latencySeconds() * 1000L);
            double achieved = (feeder.sent() - sentBefore) / (double) settings.latencySeconds();
            check(feeder, reader, failure);
            if (train) {
                freshness.accept(reader.freshness(guarantee, rate));
            }

            List<Long> swaps = new ArrayList<>();
            List<Long> publishes = new ArrayList<>();
            int swapCount = train ? 0 : settings.swaps();
            if (swapCount > 0) {
                progress.accept("model swap, " + guarantee + ": publishing " + settings.swaps()
                        + " new versions while events flow");
            }
            TrainedVersions versions = new TrainedVersions(spec, settings.features(), settings.seed() + 2);
            long version = registry.latest(model).map(ModelVersion::getVersion).orElse(0L);
            for (int k = 0; k < swapCount; k++) {
                long next = version + 1;
                ModelVersion v = versions.next(next, version, 200); // distinct weights for every version
                long t0 = System.currentTimeMillis();
                registry.publishVersion(v);
                if (registry.aliases(model).containsKey(RegistryView.CHAMPION)) {
                    registry.setAlias(model, RegistryView.CHAMPION, next);
                }
                publishes.add(System.currentTimeMillis() - t0);
                long swapDeadline = t0 + SWAP_TIMEOUT_MS;
                Long seen;
                while ((seen = reader.firstSeen(next)) == null && System.currentTimeMillis() < swapDeadline) {
                    check(feeder, reader, failure);
                    Thread.sleep(2);
                }
                if (seen == null) {
                    throw new IllegalStateException(
                            "version " + next + " reached no prediction within " + SWAP_TIMEOUT_MS + " ms");
                }
                swaps.add(seen - t0);
                version = next;
                Thread.sleep(300);
            }
            feeder.stop();
            long sent = feeder.sent();
            long drainUntil = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
            while (reader.received() < sent && System.currentTimeMillis() < drainUntil) {
                check(null, reader, failure);
                Thread.sleep(20);
            }
            return new Result(
                    guarantee,
                    applicationId,
                    rate,
                    achieved,
                    reader.summary(),
                    swaps,
                    publishes,
                    sent,
                    Math.max(0, sent - reader.received()));
        } finally {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    private static void check(Feeder feeder, PredictionReader reader, AtomicReference<Throwable> streamsFailure) {
        if (streamsFailure.get() != null) {
            throw new IllegalStateException("the score function failed: " + streamsFailure.get(), streamsFailure.get());
        }
        if (feeder != null) {
            feeder.check();
        }
        reader.check();
    }

    /** Sends events at the publisher's rate from a thread of its own until stopped. */
    private static final class Feeder implements AutoCloseable {
        private final EventPublisher publisher;
        private final SyntheticStream events;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private boolean stopped;

        Feeder(EventPublisher publisher, SyntheticStream events) {
            this.publisher = publisher;
            this.events = events;
            this.thread = new Thread(this::run, "tributary-bench-feeder");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                while (running.get()) {
                    publisher.send(events.next()); // the event's timestamp is taken as it is made, just before the send
                    sent.incrementAndGet();
                }
                publisher.flush();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }

        public long sent() {
            return sent.get();
        }

        void check() {
            Exception e = failure.get();
            if (e != null) {
                throw new IllegalStateException("sending events failed: " + e.getMessage(), e);
            }
        }

        void stop() throws InterruptedException {
            if (!stopped) {
                stopped = true;
                running.set(false);
                thread.join(30_000);
                check();
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                stop();
            } finally {
                publisher.close();
            }
        }
    }
}
