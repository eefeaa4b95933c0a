package dev.tributary.bench;

import dev.tributary.model.ModelVersions;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Topics;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * One bench run against a cluster: preload, warm-up, the throughput phases (pass-through, floor,
 * score, score with a shadow challenger, train + score, train + score with labels as feedback per
 * guarantee), then latency and model swap per guarantee, then the cold start of {@code tributary run}. Every topic and
 * application id of the run starts with a prefix of its own; against a cluster that is not the
 * bench's own, they are deleted at the end.
 */
public final class BenchRun {
    static final String MODEL = "bench";
    static final long PUBLISH_EVERY = 1000;
    static final long PUBLISH_INTERVAL_MS = 5000;
    /** The warm-up pass-through run (not reported) that loads classes, JIT-compiles and warms the page cache. */
    static final int WARMUP_SECONDS = 3;

    static final String PASS_THROUGH = "pass-through";
    /** Decodes each event and writes a prediction-sized record: the floor of the score function. */
    static final String FLOOR = "floor";

    static final String SCORE = "score";
    /** The score function with a challenger to score in shadow as well. */
    static final String SHADOW = "score+shadow";

    static final String TRAIN_SCORE = "train+score";

    private final Map<String, Object> client;
    private final String broker;
    private final BenchSettings settings;
    private final PrintWriter err;
    private final boolean ownCluster;
    private final String prefix = "tributary-bench-" + Long.toString(System.currentTimeMillis(), 36);
    private final List<Freshness.Result> freshness = new ArrayList<>();
    private final TopologyPhase phases;

    /**
     * @param broker how the report names the cluster
     * @param ownCluster whether the cluster is the bench's own (its topics are then left to die with it)
     * @param err where progress goes
     * @param cliMainClass the main class of the command line, whose {@code run} the scale-out phase starts
     */
    private final String cliMainClass;

    public BenchRun(
            Map<String, Object> clientProperties,
            String broker,
            boolean ownCluster,
            BenchSettings settings,
            PrintWriter err,
            String cliMainClass) {
        this.cliMainClass = cliMainClass;
        this.client = Map.copyOf(clientProperties);
        this.broker = broker;
        this.ownCluster = ownCluster;
        this.settings = settings;
        this.err = err;
        this.phases = new TopologyPhase(client, prefix, settings, this::progress, f -> {
            freshness.add(f);
            progress(Freshness.describe(f));
        });
    }

    static ModelSpec spec(int features) {
        List<String> names =
                IntStream.rangeClosed(1, features).mapToObj(i -> "x" + i).toList();
        return ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, names)
                .setPublishEvery(PUBLISH_EVERY)
                .setPublishIntervalMs(PUBLISH_INTERVAL_MS)
                .build();
    }

    /** The model every phase uses, in words, for the report. */
    static String modelDescription(int features) {
        ModelSpec s = spec(features);
        return "one " + s.getAlgorithm().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " model ('" + MODEL + "', "
                + s.getOptimizer().name().toLowerCase(Locale.ROOT) + (s.getStandardize() ? ", standardized" : "") + ", "
                + features + " numeric features); every event labelled; a version every " + PUBLISH_EVERY
                + " examples or " + PUBLISH_INTERVAL_MS / 1000 + " s";
    }

    public BenchReport run() throws Exception {
        long started = System.nanoTime();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path stateRoot = Files.createTempDirectory("tributary-bench-state-");
        Admin admin = Admin.create(client);
        try {
            String input = prefix + ".events";
            Topics.create(admin, List.of(new NewTopic(input, settings.partitions(), (short) -1)));
            progress(String.format(
                    Locale.ROOT,
                    "preloading %,d events (%d features) into %s (%d partitions)...",
                    settings.events(),
                    settings.features(),
                    input,
                    settings.partitions()));
            Preloader.Result preload = Preloader.preload(
                    client, input, MODEL, settings.features(), settings.events(), settings.seed(), sent -> {});
            List<TopicPartition> inputPartitions = IntStream.range(0, settings.partitions())
                    .mapToObj(p -> new TopicPartition(input, p))
                    .toList();
            Map<TopicPartition, Long> inputEnd =
                    ThroughputPhase.endOffsets(admin, inputPartitions, IsolationLevel.READ_UNCOMMITTED);
            long total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
            if (total != settings.events()) {
                throw new IllegalStateException(
                        "the input topic " + input + " holds " + total + " records, not " + settings.events());
            }
            progress(String.format(
                    Locale.ROOT,
                    "preloaded %,d events (%,d MB) in %.1f s (%,.0f events/s)",
                    preload.events(),
                    preload.bytes() / 1_000_000,
                    preload.seconds(),
                    preload.eventsPerSecond()));

            FeedbackPhase.Input delayed = preloadFeedback(admin);

            progress("warming up: " + WARMUP_SECONDS + " s of pass-through (not reported)...");
            phases.run(admin, input, inputEnd, "warmup", PASS_THROUGH, BenchSettings.ALOS, stateRoot, WARMUP_SECONDS);

            List<ThroughputPhase.Result> throughput = new ArrayList<>();
            for (String guarantee : settings.guarantees()) {
                for (String topology : List.of(PASS_THROUGH, FLOOR, SCORE, SHADOW, TRAIN_SCORE)) {
                    progress(topology + ", " + guarantee + ": running over the "
                            + String.format(Locale.ROOT, "%,d", total) + " events...");
                    ThroughputPhase.Result r = phases.run(
                            admin,
                            input,
                            inputEnd,
                            Guarantees.shortName(guarantee) + "-" + topology.replace('+', '-'),
                            topology,
                            guarantee,
                            stateRoot,
                            settings.phaseTimeoutSeconds());
                    progress(String.format(
                            Locale.ROOT,
                            "%s, %s: %,.0f events/s (%.2f s from the first task assignment; %.2f s to it)%s",
                            topology,
                            guarantee,
                            r.eventsPerSecond(),
                            r.seconds(),
                            r.startupSeconds(),
                            r.complete()
                                    ? ""
                                    : "; PARTIAL: stopped at the " + settings.phaseTimeoutSeconds() + " s timeout"));
                    throughput.add(r);
                }
                if (delayed == null) {
                    continue;
                }
                progress(FeedbackPhase.TOPOLOGY + ", " + guarantee + ": running over the same events...");
                ThroughputPhase.Result r = FeedbackPhase.run(
                        client,
                        admin,
                        prefix,
                        delayed,
                        guarantee,
                        settings,
                        stateRoot,
                        settings.phaseTimeoutSeconds(),
                        this::progress);
                progress(String.format(
                        Locale.ROOT,
                        "%s, %s: %,.0f events/s (%.2f s)%s",
                        r.topology(),
                        guarantee,
                        r.eventsPerSecond(),
                        r.seconds(),
                        r.complete()
                                ? ""
                                : "; PARTIAL: stopped at the " + settings.phaseTimeoutSeconds() + " s timeout"));
                throughput.add(r);
            }

            List<ScaleOutPhase.Result> scaleOut = new ArrayList<>();
            if (settings.instances() > 1) {
                scaleOut = ScaleOutPhase.runAll(
                        cliMainClass, client, admin, prefix, settings, inputEnd, stateRoot, this::progress);
            }

            List<LatencyPhase.Result> latency = new ArrayList<>();
            for (String guarantee : settings.guarantees()) {
                double rate = settings.latencyRate(eventsPerSecond(throughput, guarantee, SCORE));
                LatencyPhase.Result r = fixedRate(admin, guarantee, rate, stateRoot, false);
                if (r.latency() != null) {
                    progress(String.format(
                            Locale.ROOT,
                            "latency, %s: p50 %d ms, p99 %d ms, p99.9 %d ms over %,d events; " + "model swaps %s ms",
                            guarantee,
                            r.latency().p50(),
                            r.latency().p99(),
                            r.latency().p999(),
                            r.latency().samples(),
                            r.swapMs()));
                }
                latency.add(r);
            }
            for (String guarantee : settings.guarantees()) {
                double rate = settings.latencyRate(eventsPerSecond(throughput, guarantee, TRAIN_SCORE));
                fixedRate(admin, guarantee, rate, stateRoot, true);
            }
            List<ColdStartPhase.Result> coldStart = List.of();
            if (settings.coldStarts() > 0) {
                coldStart = ColdStartPhase.run(
                        cliMainClass,
                        client,
                        admin,
                        prefix,
                        settings.guarantees().get(0),
                        settings,
                        stateRoot.resolve("cold-start"),
                        this::progress);
            }
            return new BenchReport(
                    BenchReport.Machine.current(load),
                    settings,
                    broker,
                    modelDescription(settings.features()),
                    preload,
                    throughput,
                    scaleOut,
                    latency,
                    freshness,
                    coldStart,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            if (!ownCluster) {
                BenchCleanup.deleteRun(admin, prefix, this::progress);
            }
            admin.close(Duration.ofSeconds(10));
            BenchCleanup.deleteQuietly(stateRoot);
        }
    }

    /**
     * {@code bench --models N} instead of the throughput and latency phases: see {@link MemoryPhase}.
     * Returns the result as JSON text.
     */
    public String runMemory(int models) throws Exception {
        long started = System.nanoTime();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path stateRoot = Files.createTempDirectory("tributary-bench-state-");
        Admin admin = Admin.create(client);
        try {
            var root = MemoryPhase.run(client, admin, prefix, models, settings, stateRoot, this::progress);
            var machine = root.putObject("machine");
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
            machine.put("loadAverageAtStart", load);
            machine.put(
                    "loadAverageAtEnd",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            machine.put(
                    "jvmArguments",
                    String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
            root.put("broker", broker);
            root.put("wallSeconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(root);
        } finally {
            if (!ownCluster) {
                BenchCleanup.deleteRun(admin, prefix, this::progress);
            }
            admin.close(Duration.ofSeconds(10));
            BenchCleanup.deleteQuietly(stateRoot);
        }
    }

    /** The latency phase (the score function) or, with {@code train}, the steady train + score phase. */
    private LatencyPhase.Result fixedRate(Admin admin, String guarantee, double rate, Path stateRoot, boolean train)
            throws InterruptedException {
        return LatencyPhase.run(
                client,
                admin,
                prefix,
                guarantee,
                rate,
                settings,
                stateRoot.resolve((train ? "steady-" : "latency-") + Guarantees.shortName(guarantee)),
                this::progress,
                train,
                f -> {
                    freshness.add(f);
                    progress(Freshness.describe(f));
                });
    }

    /** The measured events/s of {@code topology} under {@code guarantee}, or null. */
    private static Double eventsPerSecond(List<ThroughputPhase.Result> throughput, String guarantee, String topology) {
        return throughput.stream()
                .filter(r -> r.guarantee().equals(guarantee) && r.topology().equals(topology))
                .map(ThroughputPhase.Result::eventsPerSecond)
                .findFirst()
                .orElse(null);
    }

    private void progress(String message) {
        err.println("bench: " + message);
        err.flush();
    }

    /**
     * The feedback phase's input, or null when it could not be written: the other phases do not depend
     * on it, so a failed preload skips that phase (reported without its figures) instead of the run.
     */
    private FeedbackPhase.Input preloadFeedback(Admin admin) {
        try {
            FeedbackPhase.Input delayed = FeedbackPhase.preload(client, admin, prefix, settings);
            progress(String.format(
                    Locale.ROOT,
                    "preloaded the same events without labels into %s and their labels into %s, "
                            + "%d ms later in stream time (%.1f s)",
                    delayed.topics().events(),
                    delayed.topics().feedback(),
                    FeedbackPhase.DELAY_MS,
                    delayed.seconds()));
            return delayed;
        } catch (RuntimeException e) {
            progress("the feedback phase is skipped: its input could not be written (" + e.getMessage() + ")");
            return null;
        }
    }
}
