package dev.tributary.bench;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Topics;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * Scale-out: train + score by {@code tributary run} as separate processes (the same java and
 * classpath as the bench, 1 stream thread, commit every 100 ms, as a user runs it), all with one
 * application id, over the preloaded input.
 *
 * <p>The clock starts at the first poll (every 50 ms) that finds the application's consumer group
 * {@code Stable} with every instance a member holding partitions: the JVMs' startup and the first
 * rebalances are not counted, nor the events committed before. It stops when the application is
 * done by its committed offsets ({@link CommittedProgress}), as in {@link ThroughputPhase}.
 * Throughput is the events committed after the clock started over that time.
 */
public final class ScaleOutPhase {
    private static final long START_POLL_MS = 50;
    private static final long POLL_MS = 100;
    private static final long STARTUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** JVM options of the bench not to pass on: a profiler or debugger in each child would skew it and clash. */
    private static final List<String> NOT_INHERITED = List.of(
            "-XX:StartFlightRecording",
            "-XX:SharedArchiveFile", // the cold-start phase chooses the archive of each variant
            "-XX:ArchiveClassesAtExit",
            "-XX:FlightRecorderOptions",
            "-agentlib",
            "-agentpath",
            "-javaagent",
            "-Xrunjdwp",
            "-Xlog");

    /** @param events input events committed after the clock started */
    public record Result(
            String guarantee, int instances, String applicationId, long events, double seconds, boolean complete) {
        public double eventsPerSecond() {
            return events / Math.max(seconds, 1e-9);
        }
    }

    private ScaleOutPhase() {}

    /** Train + score by 1, then by {@code settings.instances()} {@code tributary run} processes, per guarantee. */
    static List<Result> runAll(
            String cliMainClass,
            Map<String, Object> client,
            Admin admin,
            String prefix,
            BenchSettings settings,
            Map<TopicPartition, Long> inputEnd,
            Path stateRoot,
            Consumer<String> progress)
            throws Exception {
        Topics topics = Topics.prefixed(prefix); // prefix.events is the preloaded input
        topics.ensure(admin, settings.partitions());
        try (ModelRegistry registry = new ModelRegistry(client, topics.models(), Duration.ofSeconds(30))) {
            registry.createModel(BenchRun.spec(settings.features()));
        }
        Path work = Files.createDirectories(stateRoot.resolve("scale-out"));
        List<Result> results = new ArrayList<>();
        for (String guarantee : settings.guarantees()) {
            for (int n : List.of(1, settings.instances())) {
                String applicationId = prefix + "-scale-" + Guarantees.shortName(guarantee) + "-" + n;
                progress.accept("scale-out, " + guarantee + ": train+score by " + n + " 'tributary run' process"
                        + (n == 1 ? "" : "es") + "...");
                Result r = run(
                        cliMainClass,
                        client,
                        admin,
                        prefix,
                        applicationId,
                        guarantee,
                        n,
                        inputEnd,
                        settings.phaseTimeoutSeconds(),
                        work,
                        progress);
                progress.accept(String.format(
                        Locale.ROOT,
                        "scale-out, %s, %d instance(s): %,.0f events/s (%,d events in %.2f s)%s",
                        guarantee,
                        n,
                        r.eventsPerSecond(),
                        r.events(),
                        r.seconds(),
                        r.complete()
                                ? ""
                                : "; PARTIAL: stopped at the " + settings.phaseTimeoutSeconds() + " s timeout"));
                results.add(r);
            }
        }
        return results;
    }

    /**
     * @param topicPrefix the {@code run --topic-prefix}: {@code PREFIX.events} is the preloaded input,
     *     {@code PREFIX.models} holds the model
     * @param work where the client properties file, the instances' state and their logs go
     */
    static Result run(
            String cliMainClass,
            Map<String, Object> client,
            Admin admin,
            String topicPrefix,
            String applicationId,
            String guarantee,
            int instances,
            Map<TopicPartition, Long> inputEnd,
            int timeoutSeconds,
            Path work,
            Consumer<String> progress)
            throws IOException, InterruptedException {
        Path kafkaConfig = work.resolve("kafka.properties");
        writeProperties(client, kafkaConfig);
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 1; i <= instances; i++) {
                Path log = work.resolve(applicationId + "-" + i + ".log");
                logs.add(log);
                processes.add(new ProcessBuilder(command(
                                cliMainClass,
                                kafkaConfig,
                                topicPrefix,
                                applicationId,
                                guarantee,
                                work.resolve(applicationId + "-" + i)))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(nullDevice())))
                        .start());
            }
            CommittedProgress progressOf = new CommittedProgress(
                    admin, applicationId, inputEnd, List.of(applicationId + "-train-by-model-repartition"));
            long started = System.nanoTime();
            while (!allAssigned(admin, applicationId, instances)) {
                checkAlive(processes, logs);
                if (System.nanoTime() - started > STARTUP_TIMEOUT_NANOS) {
                    throw new IllegalStateException(
                            instances + " instance(s) of " + applicationId + " did not form a stable " + "group within "
                                    + TimeUnit.NANOSECONDS.toSeconds(STARTUP_TIMEOUT_NANOS) + " s; logs in " + work);
                }
                Thread.sleep(START_POLL_MS);
            }
            long clockStart = System.nanoTime();
            long before = progressOf.poll().consumed();
            long deadline = clockStart + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                Thread.sleep(POLL_MS);
                checkAlive(processes, logs);
                CommittedProgress.Snapshot now = progressOf.poll();
                long at = System.nanoTime();
                if (now.done() || at > deadline) {
                    return new Result(
                            guarantee,
                            instances,
                            applicationId,
                            now.consumed() - before,
                            (at - clockStart) / 1e9,
                            now.done());
                }
            }
        } finally {
            stop(processes);
        }
    }

    /** {@code java JVM-OPTIONS -cp CLASSPATH MAIN-CLASS run ...}, with this JVM's java and classpath. */
    static List<String> command(
            String cliMainClass,
            Path kafkaConfig,
            String topicPrefix,
            String applicationId,
            String guarantee,
            Path stateDir) {
        return command(cliMainClass, List.of(), kafkaConfig, topicPrefix, applicationId, guarantee, stateDir);
    }

    /** The same with {@code jvmOptions} added after the inherited ones. */
    static List<String> command(
            String cliMainClass,
            List<String> jvmOptions,
            Path kafkaConfig,
            String topicPrefix,
            String applicationId,
            String guarantee,
            Path stateDir) {
        List<String> command = java(cliMainClass, jvmOptions);
        command.addAll(List.of(
                "run",
                "--kafka-config",
                kafkaConfig.toString(),
                "--application-id",
                applicationId,
                "--state-dir",
                stateDir.toString(),
                "--topic-prefix",
                topicPrefix,
                "--processing-guarantee",
                guarantee,
                "--http-port",
                "0"));
        return command;
    }

    /** {@code java JVM-OPTIONS -cp CLASSPATH MAIN-CLASS}: this JVM's java, options (but a profiler's) and classpath. */
    static List<String> java(String cliMainClass, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> NOT_INHERITED.stream().noneMatch(a::startsWith))
                .forEach(command::add);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), cliMainClass));
        return command;
    }

    private static boolean allAssigned(Admin admin, String groupId, int instances) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId))
                    .describedGroups()
                    .get(groupId)
                    .get(15, TimeUnit.SECONDS);
            return group.groupState() == GroupState.STABLE
                    && group.members().size() == instances
                    && group.members().stream()
                            .noneMatch(m -> m.assignment().topicPartitions().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false; // the group does not exist yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void checkAlive(List<Process> processes, List<Path> logs) {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                throw new IllegalStateException("instance " + (i + 1) + " exited with "
                        + processes.get(i).exitValue() + "; the end of its log (" + logs.get(i) + "):\n"
                        + tail(logs.get(i)));
            }
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** A polite stop (the instances' shutdown hooks close Kafka Streams), then a forced one. */
    private static void stop(List<Process> processes) throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static void writeProperties(Map<String, Object> client, Path file) throws IOException {
        Properties props = new Properties();
        client.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "Kafka clients of the bench's scale-out instances");
        }
    }

    static String nullDevice() {
        return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
    }
}
