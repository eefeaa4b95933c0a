package dev.tributary.cli;

import dev.tributary.autoscale.Autoscaler;
import dev.tributary.autoscale.LagProbe;
import dev.tributary.autoscale.MetricsProbe;
import dev.tributary.autoscale.Policies;
import dev.tributary.autoscale.ScalingPolicy;
import dev.tributary.autoscale.Supervisor;
import dev.tributary.autoscale.Timeline;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.schema.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Scales {@code tributary run} instances on this machine with the consumer group's lag, KEDA's way. */
@Command(
        name = "autoscale",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Run as many 'tributary run' instances on this machine as the lag of the functions' consumer group "
                    + "calls for: ceil(lag / --lag-threshold), at most --max and at most the events topic's partitions, "
                    + "one step per poll; one fewer after the lag has allowed it for --cooldown; from zero as soon as the lag "
                    + "exceeds --activation-lag-threshold. Ctrl-C stops every instance gracefully.",
            "With --policy cpu or memory, also as many as the instances' CPU or heap utilisation calls for, by the "
                    + "Kubernetes HPA's rule ceil(instances × utilisation / target); the largest count of the policies wins.",
            "Arguments after -- go to every 'run', e.g.: tributary autoscale --max 4 -- --processing-guarantee at_least_once"
        })
public final class AutoscaleCommand implements Callable<Integer> {
    static final Duration STOP_GRACE = Duration.ofSeconds(60);

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--min",
            paramLabel = "N",
            defaultValue = "0",
            description = "Instances kept even when there is no lag (default: ${DEFAULT-VALUE}: scale to zero).")
    int min;

    @Option(
            names = "--max",
            paramLabel = "N",
            defaultValue = "4",
            description =
                    "Instances at most (default: ${DEFAULT-VALUE}); never more than the events topic's partitions.")
    int max;

    @Option(
            names = "--lag-threshold",
            paramLabel = "L",
            defaultValue = "10000",
            description = "Lag one instance is expected to keep up with (default: ${DEFAULT-VALUE} events).")
    long lagThreshold;

    @Option(
            names = "--activation-lag-threshold",
            paramLabel = "A",
            defaultValue = "0",
            description = "From zero instances, start one when the lag exceeds this; back to zero after the lag has "
                    + "stayed at or below it for --cooldown (default: ${DEFAULT-VALUE}: any new event).")
    long activationLagThreshold;

    @Option(
            names = "--cooldown",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description =
                    "How long fewer instances must have sufficed before one is stopped (default: ${DEFAULT-VALUE}).")
    int cooldownSeconds;

    @Option(
            names = "--poll-interval",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How often the lag is read and a decision taken (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Mixin
    UtilisationOptions utilisation;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            defaultValue = "tributary-functions",
            description = "Kafka Streams application id of the instances: the consumer group whose lag counts "
                    + "(default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "4",
            description =
                    "Partitions of the events and predictions topics if they do not exist yet (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            defaultValue = "tributary-autoscale",
            description =
                    "Where each instance keeps its state (instance-N) and its output (logs) (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--child-heap",
            paramLabel = "SIZE",
            defaultValue = "512m",
            description = "Java heap of each instance, as for -Xmx (default: ${DEFAULT-VALUE}).")
    String childHeap;

    @Option(
            names = "--timeline",
            paramLabel = "FILE",
            description = "Write elapsed seconds, instances and lag to this CSV file at every poll.")
    Path timelineFile;

    @Parameters(paramLabel = "RUN-ARGUMENTS", description = "After --: arguments for every 'tributary run'.")
    List<String> runArguments = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Policies policies = policies();
        requireValid();
        Map<String, Object> props = kafka.reachableClientProperties();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        stopped.await(STOP_GRACE.toSeconds() + 15, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tributary-autoscale-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Topics topics = kafka.topics();
        try (Admin admin = Kafka.admin(props);
                Timeline timeline = timelineFile == null ? null : new Timeline(timelineFile)) {
            topics.ensure(admin, partitions);
            Supervisor supervisor = new Supervisor(
                    Supervisor.sameJava(childHeap, Tributary.class.getName()), runArgs(), workDir, STOP_GRACE);
            try {
                LagProbe probe = new LagProbe(
                        admin,
                        applicationId,
                        List.of(topics.events(), FunctionsTopology.trainRepartitionTopic(applicationId)),
                        Kafka.TIMEOUT);
                out.println("Autoscaling 'tributary run' (application id " + applicationId + ", Kafka "
                        + kafka.bootstrapServers()
                        + "): " + policies.min() + " to " + max + " instances on " + describe() + ", poll every "
                        + pollSeconds
                        + " s; instances' state and logs in " + workDir.toAbsolutePath() + ". Press Ctrl-C to stop.");
                out.flush();
                MetricsProbe metrics =
                        policies.usesMetrics() ? new MetricsProbe(utilisation.warmUp(), Kafka.TIMEOUT) : null;
                new Autoscaler(policies, probe, metrics, supervisor, Duration.ofSeconds(pollSeconds), out, timeline)
                        .run(stop);
            } finally {
                out.println("Stopping " + supervisor.size() + " instances.");
                out.flush();
                supervisor.close();
            }
        } catch (IOException e) {
            throw new CliException("cannot write to " + workDir + " or " + timelineFile + ": " + e.getMessage(), e);
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    ScalingPolicy.Settings settings() {
        try {
            return new ScalingPolicy.Settings(
                    min, max, lagThreshold, activationLagThreshold, Duration.ofSeconds(cooldownSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    Policies policies() {
        ScalingPolicy.Settings lagSettings = settings();
        try {
            return utilisation.policies(min, max, lagSettings);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private String describe() {
        return utilisation.describe("lag (threshold " + lagThreshold + ", activation above " + activationLagThreshold
                + ", cooldown " + cooldownSeconds + " s)");
    }

    private void requireValid() {
        if (pollSeconds < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--poll-interval must be at least 1 second, got " + pollSeconds);
        }
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        if (utilisation.warmUpSeconds < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--warm-up must be 0 or more seconds, got " + utilisation.warmUpSeconds);
        }
        if (!childHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
            throw new ParameterException(
                    spec.commandLine(), "--child-heap takes a size like 512m or 2g, got '" + childHeap + "'");
        }
        InstanceArguments.check(runArguments, runArgs(), spec.commandLine());
    }

    /** What every instance gets after {@code run --state-dir DIR}. */
    List<String> runArgs() {
        return InstanceArguments.of(applicationId, utilisation.utilisation(), partitions, kafka, runArguments);
    }
}
