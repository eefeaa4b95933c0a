package dev.tributary.cli;

import dev.tributary.database.DatabaseException;
import dev.tributary.database.DatabaseTriggers;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecs;
import dev.tributary.functions.spec.Quantities;
import dev.tributary.functions.spec.Routing;
import dev.tributary.runtime.FunctionsHost;
import dev.tributary.runtime.StateDirs;
import dev.tributary.schema.serde.EventLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One instance of the score and train functions until Ctrl-C (or of each function of a file,
 * {@code --functions}); start more to scale out.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Run one instance of the score and train functions until Ctrl-C.",
            "Run it again (same application id) to scale out: Kafka spreads the partitions over the instances."
        })
public final class RunCommand implements Callable<Integer> {
    enum Guarantee {
        exactly_once_v2,
        at_least_once
    }

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            defaultValue = "tributary-functions",
            description = "Kafka Streams application id shared by all instances (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Local state directory; each instance needs its own (default: the first one no running instance "
                            + "holds of ~/.tributary/state/APPLICATION-ID/N, kept for the next start).")
    Path stateDir;

    @Option(
            names = "--processing-guarantee",
            paramLabel = "G",
            defaultValue = "exactly_once_v2",
            description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    Guarantee guarantee;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "4",
            description =
                    "Partitions of the events and predictions topics if this instance creates them (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--max-event-bytes",
            paramLabel = "BYTES",
            description = "Largest input value accepted; larger ones are dead-lettered (default: ${DEFAULT-VALUE}).")
    int maxEventBytes = EventLimits.DEFAULT.maxValueBytes();

    @Option(
            names = "--max-features",
            paramLabel = "N",
            description = "Most numeric plus categorical features in one event (default: ${DEFAULT-VALUE}).")
    int maxFeatures = EventLimits.DEFAULT.maxFeatures();

    @Option(
            names = "--max-feature-value",
            paramLabel = "X",
            description = "Largest accepted |feature| (default: ${DEFAULT-VALUE}).")
    double maxFeatureValue = EventLimits.DEFAULT.maxAbsFeatureValue();

    @Option(
            names = "--usage-interval",
            paramLabel = "S",
            defaultValue = "10",
            description =
                    "Seconds between the usage records (tributary.usage) each task writes per model (default: ${DEFAULT-VALUE}).")
    double usageIntervalSeconds;

    static final int DEFAULT_HTTP_PORT = 8081;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "Port of /metrics (Prometheus), /health and /ready (default: " + DEFAULT_HTTP_PORT
                    + ", or any free port if another instance on this machine has it; 0: off).")
    Integer httpPort;

    @Option(
            names = "--http-host",
            paramLabel = "ADDRESS",
            defaultValue = "0.0.0.0",
            description = "Address the HTTP port listens on (default: ${DEFAULT-VALUE}, every interface).")
    String httpHost;

    @Option(
            names = "--functions",
            paramLabel = "FILE",
            description =
                    "Run the functions of this file (see 'tributary deploy FILE'), each as its own Kafka Streams "
                            + "application, instead of the one default function (score and train every model of tributary.events).")
    Path functionsFile;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            defaultValue = "512m",
            description =
                    "Memory of the function, as a serverless platform configures it: usage bills it (GB-seconds), "
                            + "and ./tributary gives the JVM this heap (default: ${DEFAULT-VALUE}; in a function file: memory per "
                            + "function).")
    String memory;

    @Option(
            names = "--output-format",
            paramLabel = "F",
            defaultValue = "avro",
            description = "How predictions are written: avro or json (one flat JSON object each, for consumers without "
                    + "Avro) (default: ${DEFAULT-VALUE}; in a function file: outputFormat per function).")
    Format outputFormat;

    enum Format {
        avro,
        json
    }

    @Spec
    CommandSpec spec;

    EventLimits limits() {
        try {
            return new EventLimits(maxEventBytes, maxFeatures, maxFeatureValue);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        EventLimits limits = limits();
        long memoryBytes = memoryBytes();
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--http-port must be 0-65535, got " + httpPort);
        }
        FunctionSpecs file = null;
        if (functionsFile != null) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--application-id")) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--application-id does not go with "
                                + "--functions: each function has its own (applicationId in the file, default tributary-fn-NAME)");
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--output-format")) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--output-format does not go with "
                                + "--functions: set outputFormat on each function of the file");
            }
            file = DeployCommand.read(functionsFile, spec.commandLine().getErr());
            if (file == null) {
                return Errors.USAGE;
            }
        }
        if (!(usageIntervalSeconds >= 0.001) || usageIntervalSeconds > 86_400) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--usage-interval must be between 0.001 and 86400 seconds, got " + usageIntervalSeconds);
        }
        FunctionsTopology.Metering metering = FunctionsTopology.Metering.DEFAULT.withInterval(
                Duration.ofMillis(Math.round(usageIntervalSeconds * 1000)));
        var props = kafka.reachableClientProperties();
        StateDirs.deleteStaleLibraries(Path.of(System.getProperty("java.io.tmpdir")), java.time.Instant.now());
        Path dir = stateDir != null ? stateDir : StateDirs.claim(StateDirs.defaultRoot(), applicationId);
        String instance = FunctionsRunner.defaultInstanceId();
        FunctionsRunner.Config config = new FunctionsRunner.Config(
                props,
                applicationId,
                dir,
                kafka.topics(),
                partitions,
                guarantee.name(),
                1,
                FunctionsTopology.Settings.defaults(instance).withLimits(limits).withMetering(metering),
                Routing.alone(FunctionSpec.standard(kafka.topics(), applicationId)
                        .withOutputFormat(FunctionSpec.OutputFormat.valueOf(
                                outputFormat.name().toUpperCase(java.util.Locale.ROOT)))
                        .withMemory(memoryBytes)));
        List<FunctionsRunner.Config> configs = file == null
                ? List.of(config)
                : file.routings().stream().map(config::forFunction).toList();
        if (file != null) {
            warnIfHeapIsShort(file);
        }
        FunctionsHost.HttpSettings http = new FunctionsHost.HttpSettings(
                httpHost, httpPort == null ? DEFAULT_HTTP_PORT : httpPort, httpPort == null);
        FunctionsHost host;
        DatabaseTriggers databases = databases(file, props);
        try {
            host = FunctionsHost.start(configs, http, null);
        } catch (java.io.IOException e) {
            databases.close();
            throw new CliException("cannot serve /metrics on " + httpHost + ":" + http.port() + ": " + e.getMessage());
        }
        try (databases;
                host) {
            host.awaitRunning(Duration.ofSeconds(60));
            PrintWriter out = spec.commandLine().getOut();
            String what = file == null
                    ? "application id " + applicationId
                    : configs.size() + " function(s) of " + functionsFile + " ("
                            + String.join(
                                    ", ",
                                    configs.stream()
                                            .map(c -> c.routing().self().name())
                                            .toList()) + ")";
            out.println("Tributary functions running: instance " + instance + ", " + what + ", "
                    + guarantee + ", Kafka " + kafka.bootstrapServers() + ", state " + dir
                    + (host.httpPort() < 0 ? "" : ", /metrics /health /ready on port " + host.httpPort())
                    + ". Press Ctrl-C to stop.");
            out.flush();
            host.awaitStop();
        } catch (FunctionsHost.FunctionStoppedException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }

    /** The change capture (and sinks) of the file's functions a table triggers; a database that cannot be used stops here. */
    private DatabaseTriggers databases(FunctionSpecs file, java.util.Map<String, Object> props) {
        if (file == null) {
            return DatabaseTriggers.start(
                    new FunctionSpecs("", List.of()), props, kafka.topics(), partitions, System::getenv, e -> {});
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            // a capture that stops for good stops the instance: its function would wait for changes that never come
            return DatabaseTriggers.start(file, props, kafka.topics(), partitions, System::getenv, e -> {
                err.println("tributary: " + e.getMessage());
                err.flush();
                System.exit(Errors.RUNTIME);
            });
        } catch (DatabaseException e) {
            throw new CliException(e.getMessage());
        }
    }

    private long memoryBytes() {
        try {
            return Quantities.bytes(memory);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--memory takes a size like 512m or 2g, got '" + memory + "'");
        }
    }

    /** One log line when this JVM's heap is below what the file's functions want together. */
    static void warnIfHeapIsShort(FunctionSpecs file) {
        long max = Runtime.getRuntime().maxMemory();
        if (max < file.heapBytes()) {
            org.slf4j.LoggerFactory.getLogger(RunCommand.class)
                    .warn(
                            "The functions of {} want {} of heap together "
                                    + "(their memory: keys), but this JVM may use only {}: start it with -Xmx{} or more",
                            file.source(),
                            Quantities.formatBytes(file.heapBytes()),
                            Quantities.formatBytes(max >> 20 << 20),
                            Quantities.formatBytes(file.heapBytes()));
        }
    }
}
