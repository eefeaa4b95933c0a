package dev.tributary.cli;

import dev.tributary.bench.BenchReport;
import dev.tributary.bench.BenchRun;
import dev.tributary.bench.BenchSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end benchmark: preload events once, then pass-through, score and train + score over
 * them under each guarantee, then latency and model swap at a fixed rate. Results on stdout (a
 * table or JSON), progress on stderr. See docs/performance.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Measure Tributary end to end against Kafka: throughput of a pass-through topology (same serdes), "
                    + "the score function and train + score, with exactly_once_v2 and at_least_once, over the same preloaded "
                    + "events; latency percentiles at a fixed rate; and how long a new model version takes to reach the scorer.",
            "Without --bootstrap-servers or --kafka-config it starts a broker of its own in this process.",
            "Results go to stdout, progress to stderr. See docs/performance.md."
        })
public final class BenchCommand implements Callable<Integer> {
    enum Format {
        table,
        json
    }

    enum Guarantee {
        exactly_once_v2,
        at_least_once
    }

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Events preloaded and read by every throughput phase (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--features",
            paramLabel = "N",
            defaultValue = "20",
            description = "Numeric features per event (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "4",
            description = "Partitions of every topic the bench creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "1",
            description = "Kafka Streams threads per application (default: ${DEFAULT-VALUE}, as 'tributary run').")
    int threads;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description =
                    "Offered rate of the latency phase, events/s (default: 30 %% of the score throughput measured "
                            + "with the same guarantee).")
    Double rate;

    @Option(
            names = "--latency-seconds",
            paramLabel = "S",
            defaultValue = "5",
            description = "How long latency is sampled, after 1 s of warm-up (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--swaps",
            paramLabel = "N",
            defaultValue = "3",
            description = "New model versions published to time their way to the scorer (default: ${DEFAULT-VALUE}).")
    int swaps;

    @Option(
            names = "--guarantee",
            paramLabel = "G",
            split = ",",
            description = "exactly_once_v2, at_least_once or both, comma-separated (default: both).")
    List<Guarantee> guarantees;

    @Option(
            names = "--commit-interval-ms",
            paramLabel = "MS",
            defaultValue = "100",
            description = "Kafka Streams commit.interval.ms (default: ${DEFAULT-VALUE}, as 'tributary run').")
    int commitIntervalMs;

    @Option(
            names = "--streams-property",
            paramLabel = "KEY=VALUE",
            description =
                    "An extra Kafka Streams property for every application (repeatable), e.g. producer.linger.ms=5.")
    Map<String, String> streamsProperties = new LinkedHashMap<>();

    @Option(
            names = "--models",
            paramLabel = "N",
            description =
                    "Instead of the throughput and latency phases: memory of one score application serving N models "
                            + "of 100 features plus one of 2^18 hashed weights, over --events events spread across them; reports heap "
                            + "after a full GC, GC time share and versions decoded (JSON). Run it with TRIBUTARY_JAVA_OPTS=-Xmx256m "
                            + "against a separate broker (--bootstrap-servers) to measure the instance alone.")
    Integer models;

    @Option(
            names = "--instances",
            paramLabel = "N",
            description =
                    "Also measure scale-out: train + score by 1, then by N 'tributary run' processes (same java and "
                            + "classpath) on the preloaded topic, and their ratio. Bounded by the cores when the broker shares them.")
    Integer instances;

    @Option(
            names = "--cold-starts",
            paramLabel = "N",
            defaultValue = "3",
            description =
                    "Cold start: start a 'tributary run' process N times as the launcher does (with its class-data-"
                            + "sharing archive), and N times more without the archive, each with one event waiting, and time "
                            + "its first prediction; 0 to skip (default: ${DEFAULT-VALUE}).")
    int coldStarts;

    @Option(
            names = "--phase-timeout",
            paramLabel = "S",
            defaultValue = "60",
            description = "A throughput phase still running after S seconds stops and is reported as partial "
                    + "(default: ${DEFAULT-VALUE}).")
    int phaseTimeoutSeconds;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the synthetic events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--format",
            paramLabel = "F",
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Logs.quietForScreen();
        if (models != null) {
            if (models < 1) {
                throw usage("--models must be at least 1, got " + models);
            }
            String result;
            try (TargetCluster cluster = TargetCluster.of(
                    kafka, err, "bench: starting a Kafka broker (KRaft, in this process: its heap counts too)...")) {
                result = benchRun(cluster, settings, err).runMemory(models);
            }
            out.println(result);
            out.flush();
            return 0;
        }
        BenchReport report;
        try (TargetCluster cluster =
                TargetCluster.of(kafka, err, "bench: starting a Kafka broker (KRaft, in this process)...")) {
            report = benchRun(cluster, settings, err).run();
        }
        if (format == Format.json) {
            out.println(report.jsonText());
        } else {
            BenchTables.lines(report).forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private BenchRun benchRun(TargetCluster cluster, BenchSettings settings, PrintWriter err) {
        return new BenchRun(
                cluster.clientProperties(),
                cluster.embedded() ? "embedded broker in the same process" : "Kafka at " + kafka.bootstrapServers(),
                cluster.embedded(),
                settings,
                err,
                Tributary.class.getName());
    }

    /** The validated settings of this command line. */
    BenchSettings settings() {
        if (events < 1) {
            throw usage("--events must be at least 1, got " + events);
        }
        if (features < 1 || features > 10_000) {
            throw usage("--features must be between 1 and 10000, got " + features);
        }
        if (partitions < 1 || threads < 1) {
            throw usage("--partitions and --threads must be at least 1");
        }
        if (rate != null && !(rate > 0)) {
            throw usage("--rate must be positive, got " + rate);
        }
        if (latencySeconds < 1 || swaps < 0 || phaseTimeoutSeconds < 1 || commitIntervalMs < 0) {
            throw usage(
                    "--latency-seconds and --phase-timeout must be at least 1; --swaps and --commit-interval-ms not negative");
        }
        if (coldStarts < 0) {
            throw usage("--cold-starts must not be negative, got " + coldStarts);
        }
        if (instances != null && instances < 2) {
            throw usage("--instances must be at least 2 (it is compared with 1 instance), got " + instances);
        }
        List<String> chosen = new ArrayList<>();
        for (Guarantee g : guarantees == null || guarantees.isEmpty() ? List.of(Guarantee.values()) : guarantees) {
            if (!chosen.contains(g.name())) {
                chosen.add(g.name());
            }
        }
        return new BenchSettings(
                events,
                features,
                partitions,
                threads,
                rate,
                30.0,
                latencySeconds,
                swaps,
                phaseTimeoutSeconds,
                commitIntervalMs,
                chosen,
                streamsProperties,
                seed,
                instances == null ? 0 : instances,
                coldStarts);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
