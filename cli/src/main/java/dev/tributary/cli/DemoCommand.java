package dev.tributary.cli;

import dev.tributary.dashboard.Dashboard;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.FeedbackPublisher;
import dev.tributary.registry.Clients;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.TempDirs;
import dev.tributary.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Everything in one process: a broker, four models (one of them learning from labels that come
 * later, as feedback), the functions and a replayed stream per model, with progress live on
 * screen; it leaves nothing behind.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Start a Kafka broker, four models (linear, logistic, svm, and a logistic one whose labels come "
                    + "as feedback " + DemoModel.FEEDBACK_DELAY_MS / 1000
                    + " s after its predictions), the functions and a synthetic stream "
                    + "per model with known ground truth and drift half way; show the learning live; clean up.",
            "With --csv, replay a file for one model instead.",
            "With --bootstrap-servers or --kafka-config, use that cluster instead of a broker of its own "
                    + "(the models then get a per-run suffix and stay in its registry)."
        })
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    DemoSource source;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "5000",
            description =
                    "Events per second over all models (default: ${DEFAULT-VALUE}); 0 sends as fast as the broker takes them.")
    double rate;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "2",
            description = "Partitions of the events and predictions topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            defaultValue = "180",
            description = "Give up if the events are not all scored within S seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--dashboard-port",
            paramLabel = "PORT",
            defaultValue = "8088",
            description =
                    "Serve the dashboard on this port while the demo runs (default: ${DEFAULT-VALUE}, any free one if taken; -1: none).")
    int dashboardPort;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the synthetic streams (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    /** Everything started, closed in reverse order, once, also on Ctrl-C. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @Override
    public Integer call() throws Exception {
        if (partitions < 1 || timeoutSeconds < 1 || rate < 0) {
            throw usage("--partitions and --timeout must be at least 1, --rate not negative");
        }
        List<DemoModel> models = source.models(seed, runSuffix(), spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        boolean ansi = Terminal.interactive();
        Logs.quietForScreen();
        Thread hook = new Thread(this::closeAll, "tributary-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run(models, out, ansi);
        } finally {
            closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        return 0;
    }

    private void run(List<DemoModel> models, PrintWriter out, boolean ansi) throws Exception {
        long t0 = System.nanoTime();
        TargetCluster cluster = TargetCluster.of(kafka, out, "Starting a Kafka broker (KRaft, in this process)...");
        resources.push(cluster);
        Map<String, Object> props = cluster.clientProperties();
        String where =
                cluster.embedded() ? "broker " + cluster.bootstrapServers() : "Kafka at " + kafka.bootstrapServers();
        Topics topics = kafka.topics();
        try (var admin = Kafka.admin(props)) {
            topics.ensure(admin, partitions);
        }
        ModelRegistry registry = new ModelRegistry(props, topics.models(), Kafka.TIMEOUT);
        resources.push(registry);
        for (DemoModel m : models) {
            registry.createModel(m.spec());
        }
        Path stateDir = Files.createTempDirectory("tributary-demo-state-");
        resources.push(() -> TempDirs.delete(stateDir));
        FunctionsRunner runner = FunctionsRunner.start(new FunctionsRunner.Config(
                props,
                "tributary-demo" + runSuffix(),
                stateDir,
                topics,
                partitions,
                "exactly_once_v2",
                1,
                FunctionsTopology.Settings.defaults(FunctionsRunner.defaultInstanceId())));
        resources.push(runner);
        if (!runner.awaitRunning(Duration.ofSeconds(60))) {
            throw new CliException("the functions did not start within 60 s (state " + runner.state() + ")");
        }
        String dashboard = dashboardPort < 0 ? null : startDashboard(props, topics);
        DemoTally tally = new DemoTally(
                props,
                topics,
                models.stream().map(DemoModel::name).collect(Collectors.toSet()),
                models.stream()
                        .filter(m -> m.labelDelayMs() > 0)
                        .map(DemoModel::name)
                        .collect(Collectors.toSet()));
        resources.push(tally);
        tally.start();
        double startup = (System.nanoTime() - t0) / 1e9;
        out.printf(
                java.util.Locale.ROOT,
                "%s; %d model%s; functions running (%.1f s). Sending %s events%s...%n%n",
                where,
                models.size(),
                models.size() == 1 ? "" : "s",
                startup,
                Metrics.count(models.stream().mapToLong(DemoModel::count).sum()),
                rate > 0 ? " at " + Metrics.count(Math.round(rate)) + "/s" : "");
        if (dashboard != null) {
            out.println("Dashboard: " + dashboard + " (served while the demo runs)");
            out.println();
        }
        out.flush();

        DemoFeed feed = new DemoFeed(
                new EventPublisher(Clients.bounded(props), topics.events(), rate).registerSchema(topics.schemas()),
                new FeedbackPublisher(Clients.bounded(props), topics.feedback(), FeedbackPublisher.Encoding.AVRO)
                        .registerSchema(topics.schemas()),
                models,
                tally);
        resources.push(feed);
        DemoScreen screen = new DemoScreen(out, ansi, models);
        feed.start();
        RegistryView view = registry.view();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (!(feed.finished() && tally.predictions() + tally.deadLetters() >= feed.sent())) {
            if (feed.failure() != null) {
                throw new CliException(
                        "publishing the demo's events failed: " + Errors.describe(feed.failure()), feed.failure());
            }
            if (tally.failure() != null) {
                throw new CliException(
                        "reading the predictions failed: " + Errors.describe(tally.failure()), tally.failure());
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("the demo timed out after " + timeoutSeconds + " s with "
                        + Metrics.count(tally.predictions()) + " of " + Metrics.count(feed.sent())
                        + " events scored (functions " + runner.state() + ")");
            }
            screen.frame(feed.sent(), tally.predictions(), tally.deadLetters(), view);
            Thread.sleep(500);
        }
        awaitFinalVersions(models, view, tally, Math.max(0, deadline - System.nanoTime()), screen, feed);
        screen.last(feed.sent(), tally.predictions(), tally.deadLetters(), view);
        screen.summary(feed.sent(), tally.predictions(), tally.deadLetters(), view, source.csv != null, startup);
    }

    /** The dashboard on --dashboard-port, or any free port if that one is taken; its address. */
    private String startDashboard(Map<String, Object> props, Topics topics) throws java.io.IOException {
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(new Dashboard.Config(
                    props, topics, "127.0.0.1", dashboardPort, false, List.of(), null, DashboardCommand.RENDERERS));
        } catch (java.net.BindException e) {
            dashboard = Dashboard.start(new Dashboard.Config(
                    props, topics, "127.0.0.1", 0, false, List.of(), null, DashboardCommand.RENDERERS));
        }
        resources.push(dashboard);
        return dashboard.url().toString();
    }

    /** Training publishes at most publishIntervalMs after the last example: wait for those last versions. */
    private static void awaitFinalVersions(
            List<DemoModel> models,
            RegistryView view,
            DemoTally tally,
            long budgetNanos,
            DemoScreen screen,
            DemoFeed feed)
            throws InterruptedException {
        long deadline = System.nanoTime()
                + Math.min(
                        budgetNanos,
                        Duration.ofMillis(DemoModel.PUBLISH_INTERVAL_MS * 5 + 5_000)
                                .toNanos());
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (DemoModel m : models) {
                long expected = tally.predictions(m.name());
                long seen = view.latest(m.name()).map(v -> v.getExamplesSeen()).orElse(0L);
                all &= seen >= expected;
            }
            if (all) {
                return;
            }
            screen.frame(feed.sent(), tally.predictions(), tally.deadLetters(), view);
            Thread.sleep(200);
        }
    }

    /** On a shared cluster each run gets its own model names and application id. */
    private String runSuffix() {
        if (!kafka.connectionGiven()) {
            return "";
        }
        if (suffix == null) {
            suffix = "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        }
        return suffix;
    }

    private String suffix;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private synchronized void closeAll() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                // best effort: keep closing the rest
            }
        }
    }
}
