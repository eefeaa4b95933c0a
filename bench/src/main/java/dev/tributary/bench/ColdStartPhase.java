package dev.tributary.bench;

import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Cold start: from the start of a {@code tributary run} process to the first prediction, for an
 * event already waiting in its input. Each trial has topics of its own ({@code PREFIX.cold-V-I.*}),
 * the bench's model at version 0 in its registry and one labelled event in its input, and starts one
 * process (the bench's java, classpath and JVM options, as the scale-out phase does) with a fresh
 * application id. The clock runs from just before the process starts to the receipt of the first
 * prediction by a {@code read_committed} consumer that was assigned the predictions topic before.
 *
 * <p>Where the time goes, from the process's log (its Kafka Streams state transitions, logged with
 * epoch milliseconds): <b>to streams start</b> (the JVM, the command line, its topic checks and the
 * schema registration, up to Kafka Streams leaving {@code CREATED}); <b>group join</b> (until the
 * stream thread has its partitions: the consumer group's join and sync, and the assignment);
 * <b>assigned to prediction</b> (until the prediction is received: the tasks' initialization and
 * restore, under EOS the producer's transactions, the fetch, the registry catch-up on the first event
 * of a model, scoring, and the commit that makes the prediction visible). The score task produces as
 * soon as it is ready, possibly before the train task has restored; when every task runs is reported
 * too. The JVM and the command line alone are measured apart, as the time of {@code tributary --version}.
 *
 * <p>Each variant runs the same trials: {@code default} as the {@code tributary} launcher starts
 * {@code run}, with the class-data-sharing archive it writes once per build ({@code tributary warm-up}
 * with {@code -XX:ArchiveClassesAtExit}, not counted, then {@code -XX:SharedArchiveFile}), and
 * {@code no archive} as {@code java -jar tributary.jar run} starts without it.
 */
public final class ColdStartPhase {
    private static final long TRIAL_TIMEOUT_MS = 120_000;
    /** The variant as the {@code tributary} launcher starts {@code run}: with its class-data-sharing archive. */
    static final String DEFAULT = "default";
    /** The variant without a class-data-sharing archive ({@code TRIBUTARY_CDS=0}, or {@code java -jar} alone). */
    static final String NO_ARCHIVE = "no archive";
    /** The command that the launcher runs with {@code -XX:ArchiveClassesAtExit} to write the archive. */
    static final String WARM_UP = "warm-up";

    private static final String STREAMS_START = "State transition from CREATED to REBALANCING";
    private static final String ASSIGNED = "to PARTITIONS_ASSIGNED";
    private static final String THREAD_RUNNING = "from PARTITIONS_ASSIGNED to RUNNING";

    /**
     * One start, in ms from the process start; a mark is null when its log line was not found.
     *
     * @param totalMs to the first prediction received
     * @param streamsStartMs to Kafka Streams leaving {@code CREATED}
     * @param assignedMs to the stream thread having its partitions
     * @param runningMs to the stream thread running every task (restored); the score task may produce
     *     before, while the train task still restores
     */
    public record Trial(long totalMs, Long streamsStartMs, Long assignedMs, Long runningMs) {
        /** The parts: to streams start, group join, assignment to prediction; null where a mark is missing. */
        public List<Long> parts() {
            Long join = streamsStartMs == null || assignedMs == null ? null : assignedMs - streamsStartMs;
            Long first = assignedMs == null ? null : totalMs - assignedMs;
            return java.util.Arrays.asList(streamsStartMs, join, first);
        }
    }

    /**
     * @param variant {@link #DEFAULT} or {@link #NO_ARCHIVE}
     * @param versionMs the times of {@code tributary --version} (the JVM and the command line alone)
     */
    public record Result(String variant, String guarantee, List<Trial> trials, List<Long> versionMs) {
        public Percentiles.Summary total() {
            return summary(trials.stream().map(Trial::totalMs).toList());
        }

        /** The median of each part over the trials that logged it; null for a part none logged. */
        public List<Long> medianParts() {
            List<Long> out = new ArrayList<>();
            for (int k = 0; k < PARTS.size(); k++) {
                int part = k;
                Percentiles.Summary s = summary(trials.stream()
                        .map(t -> t.parts().get(part))
                        .filter(v -> v != null)
                        .toList());
                out.add(s == null ? null : s.p50());
            }
            return out;
        }

        public Percentiles.Summary version() {
            return summary(versionMs);
        }

        /** From the process start to every task running, over the trials that logged it. */
        public Percentiles.Summary allTasksRunning() {
            return summary(
                    trials.stream().map(Trial::runningMs).filter(v -> v != null).toList());
        }
    }

    /** The names of the parts of {@link Trial#parts()}, in order. */
    public static final List<String> PARTS = List.of("to streams start", "group join", "assigned to prediction");

    private ColdStartPhase() {}

    static List<Result> run(
            String cliMainClass,
            Map<String, Object> client,
            Admin admin,
            String prefix,
            String guarantee,
            BenchSettings settings,
            Path work,
            Consumer<String> progress)
            throws Exception {
        Files.createDirectories(work);
        Path kafkaConfig = work.resolve("kafka.properties");
        ScaleOutPhase.writeProperties(client, kafkaConfig);
        Path logConfig = work.resolve("log4j2-cold-start.xml");
        Files.writeString(logConfig, LOG_CONFIG, StandardCharsets.UTF_8);
        Path archive = work.resolve("tributary-run.jsa");
        List<String> logging = List.of("-Dlog4j2.configurationFile=" + logConfig);
        List<String> cds = new ArrayList<>(logging);
        cds.add("-XX:SharedArchiveFile=" + archive);

        List<Result> results = new ArrayList<>();
        progress.accept("cold start: writing the class-data-sharing archive " + archive
                + " as the tributary launcher does (tributary " + WARM_UP + ", not counted)");
        boolean archived = writeArchive(cliMainClass, archive, work);
        if (!archived) {
            progress.accept("cold start: no archive was written (" + work.resolve(WARM_UP + ".log")
                    + "); the default variant is not measured");
        }
        String[] variants = {DEFAULT, NO_ARCHIVE};
        for (int v = 0; v < variants.length; v++) {
            if (v == 0 && !archived) {
                continue;
            }
            List<String> options = v == 0 ? cds : logging;
            List<Long> versions = new ArrayList<>();
            List<Trial> trials = new ArrayList<>();
            for (int i = 1; i <= settings.coldStarts(); i++) {
                versions.add(versionMs(cliMainClass, options, work));
                Trial t = trial(
                        cliMainClass,
                        client,
                        admin,
                        prefix + ".cold-" + v + "-" + i,
                        guarantee,
                        settings,
                        work,
                        kafkaConfig,
                        options);
                progress.accept(String.format(
                        Locale.ROOT,
                        "cold start, %s %d/%d: first prediction %d ms after the process start (%s ms)",
                        variants[v],
                        i,
                        settings.coldStarts(),
                        t.totalMs(),
                        t.parts()));
                trials.add(t);
            }
            results.add(new Result(variants[v], guarantee, trials, versions));
        }
        return results;
    }

    private static Trial trial(
            String cliMainClass,
            Map<String, Object> client,
            Admin admin,
            String topicPrefix,
            String guarantee,
            BenchSettings settings,
            Path work,
            Path kafkaConfig,
            List<String> jvmOptions)
            throws Exception {
        Topics topics = Topics.prefixed(topicPrefix);
        topics.ensure(admin, settings.partitions());
        try (ModelRegistry registry = new ModelRegistry(client, topics.models(), Duration.ofSeconds(30))) {
            registry.createModel(BenchRun.spec(settings.features()));
        }
        Event event = new SyntheticStream(
                        BenchRun.MODEL,
                        Algorithm.LOGISTIC_REGRESSION,
                        settings.features(),
                        settings.seed(),
                        Long.MAX_VALUE)
                .next();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Preloader.producerProperties(client), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topics.events(),
                            event.getId().getBytes(StandardCharsets.UTF_8),
                            AvroCodec.of(Event.class).encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
        String applicationId = topicPrefix.replace('.', '-');
        Path log = work.resolve(applicationId + ".log");
        try (KafkaConsumer<byte[], byte[]> predictions = predictionsConsumer(client)) {
            List<TopicPartition> partitions = IntStream.range(0, settings.partitions())
                    .mapToObj(p -> new TopicPartition(topics.predictions(), p))
                    .toList();
            predictions.assign(partitions);
            predictions.seekToBeginning(partitions);
            predictions.poll(Duration.ofMillis(10)); // metadata and positions, before the clock
            long started = System.currentTimeMillis();
            Process process = new ProcessBuilder(ScaleOutPhase.command(
                            cliMainClass,
                            jvmOptions,
                            kafkaConfig,
                            topicPrefix,
                            applicationId,
                            guarantee,
                            work.resolve(applicationId)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(ScaleOutPhase.nullDevice())))
                    .start();
            try {
                long received = -1;
                while (received < 0) {
                    ConsumerRecords<byte[], byte[]> records = predictions.poll(Duration.ofMillis(20));
                    if (!records.isEmpty()) {
                        received = System.currentTimeMillis();
                    } else if (!process.isAlive()) {
                        throw new IllegalStateException("the cold-start instance exited with " + process.exitValue()
                                + "; the end of its log (" + log + "):\n" + ScaleOutPhase.tail(log));
                    } else if (System.currentTimeMillis() - started > TRIAL_TIMEOUT_MS) {
                        throw new IllegalStateException("no prediction within " + TRIAL_TIMEOUT_MS / 1000
                                + " s of the instance's start; its log: " + log);
                    }
                }
                return trialOf(log, started, received);
            } finally {
                process.destroy(); // its shutdown hook closes Kafka Streams
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The trial's parts, read off the log lines of the instance (which start with epoch milliseconds). */
    static Trial trialOf(Path log, long started, long received) throws IOException {
        Long streamsStart = null;
        Long assigned = null;
        Long running = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Long at = epochMillis(line);
            if (at == null) {
                continue;
            }
            if (streamsStart == null && line.contains(STREAMS_START)) {
                streamsStart = at - started;
            } else if (assigned == null && line.contains(ASSIGNED)) {
                assigned = at - started;
            } else if (running == null && line.contains(THREAD_RUNNING)) {
                running = at - started;
            }
        }
        return new Trial(received - started, streamsStart, assigned, running);
    }

    private static Long epochMillis(String line) {
        int space = line.indexOf(' ');
        if (space != 13) {
            return null;
        }
        try {
            return Long.parseLong(line.substring(0, space));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {@code tributary warm-up} with {@code -XX:ArchiveClassesAtExit}, as the launcher runs it before the
     * first {@code run} of a build (the same heap); whether the archive was written.
     */
    private static boolean writeArchive(String cliMainClass, Path archive, Path work)
            throws IOException, InterruptedException {
        List<String> command =
                ScaleOutPhase.java(cliMainClass, List.of("-Xmx512m", "-XX:ArchiveClassesAtExit=" + archive));
        command.add(WARM_UP);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(WARM_UP + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(ScaleOutPhase.nullDevice())))
                .start();
        if (!p.waitFor(TRIAL_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        }
        return p.exitValue() == 0 && Files.isRegularFile(archive) && Files.size(archive) > 0;
    }

    /** Wall time of {@code tributary --version} with these JVM options: the JVM and the command line alone. */
    private static long versionMs(String cliMainClass, List<String> jvmOptions, Path work)
            throws IOException, InterruptedException {
        List<String> command = ScaleOutPhase.java(cliMainClass, jvmOptions);
        command.add("--version");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("version.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static KafkaConsumer<byte[], byte[]> predictionsConsumer(Map<String, Object> client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Percentiles.Summary summary(List<Long> values) {
        Percentiles p = new Percentiles();
        values.forEach(p::add);
        return p.summary();
    }

    /** The instance's log: Kafka Streams' state transitions at INFO, each line led by epoch milliseconds. */
    private static final String LOG_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN" shutdownHook="disable">
              <Appenders>
                <Console name="stderr" target="SYSTEM_ERR">
                  <PatternLayout pattern="%d{UNIX_MILLIS} %-5level %c{1} - %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="kafka" level="WARN"/>
                <Logger name="org.apache.kafka" level="WARN"/>
                <Logger name="org.apache.kafka.streams.KafkaStreams" level="INFO"/>
                <Logger name="org.apache.kafka.streams.processor.internals.StreamThread" level="INFO"/>
                <Root level="INFO">
                  <AppenderRef ref="stderr"/>
                </Root>
              </Loggers>
            </Configuration>
            """;
}
