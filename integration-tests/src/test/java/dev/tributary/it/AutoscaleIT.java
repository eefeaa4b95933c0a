package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.it.CliProcesses.Background;
import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary autoscale} as a separate process, launching real {@code tributary run} JVMs
 * against the embedded broker: idle at zero instances, a burst of events takes it up to its
 * {@code --max} of 3 (the events topic has 4 partitions), and once the burst is consumed it steps
 * back down to 1 and then to 0. Counted afterwards with a {@code read_committed} consumer: one
 * prediction per event, and the model learned each labelled event exactly once. The timeline
 * (elapsed seconds, instances, lag at every poll) is printed; the processes' output is under
 * {@code target/autoscale/logs}, the instances' under {@code target/autoscale/work/logs}.
 */
class AutoscaleIT {
    static final Path WORK = Path.of("target", "autoscale").toAbsolutePath();
    static final String APPLICATION_ID = "autoscale-it";
    static final String MODEL = "autoscale-logistic";
    static final int PARTITIONS = 4;
    static final int MAX = 3;
    static final int EVENTS = 30_000;
    static final int UNLABELLED_EVERY = 3;
    static final int IDLE_POLLS = 3;

    static CliProcesses processes;
    static EmbeddedKafka kafka;
    static ModelRegistry registry;
    static Outputs outputs;
    static Background autoscale;
    static final List<String> eventIds = new ArrayList<>();
    static int labelled;
    static List<int[]> idleRows;
    static List<int[]> burstRows;
    static long examplesSeen;

    @BeforeAll
    static void burstThroughTheAutoscaler() throws Exception {
        processes = new CliProcesses(WORK);
        kafka = EmbeddedKafka.start();
        String bootstrap = kafka.bootstrapServers();
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        Topics topics = Topics.defaults();
        try (Admin admin = Admin.create(client)) {
            topics.ensure(admin, PARTITIONS);
        }
        registry = new ModelRegistry(client, topics.models());
        registry.createModel(
                ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, List.of("x1", "x2", "x3", "x4"))
                        .setPublishEvery(2000)
                        .setPublishIntervalMs(500)
                        .build());

        Path timeline = WORK.resolve("timeline.csv");
        autoscale = processes.background(
                "autoscale",
                "autoscale",
                "--bootstrap-servers",
                bootstrap,
                "--application-id",
                APPLICATION_ID,
                "--min",
                "0",
                "--max",
                String.valueOf(MAX),
                "--lag-threshold",
                "2000",
                "--cooldown",
                "4",
                "--poll-interval",
                "1",
                "--work-dir",
                WORK.resolve("work").toString(),
                "--child-heap",
                "384m",
                "--timeline",
                timeline.toString());
        autoscale.awaitOutput("Autoscaling", Duration.ofSeconds(60));
        awaitRows(timeline, rows -> rows.size() >= IDLE_POLLS, Duration.ofSeconds(30));
        idleRows = rows(timeline);

        publishBurst(client, topics);
        int before = idleRows.size();
        List<int[]> all = awaitRows(
                timeline,
                rows -> {
                    List<int[]> burst = rows.subList(Math.min(before, rows.size()), rows.size());
                    int peak = burst.stream().mapToInt(r -> r[1]).max().orElse(0);
                    return peak > 0 && burst.get(burst.size() - 1)[1] == 0;
                },
                Duration.ofSeconds(120));
        burstRows = all.subList(before, all.size());

        outputs = new Outputs(client, topics, "autoscale-it-reader")
                .readUntil(EVENTS, 0, Duration.ofSeconds(30), Duration.ofSeconds(2));
        examplesSeen = Outputs.settledExamplesSeen(registry, Map.of(MODEL, labelled), Duration.ofSeconds(10))
                .get(MODEL);

        autoscale.process().destroy();
        assertThat(autoscale.process().waitFor(60, TimeUnit.SECONDS))
                .as("autoscale stops on SIGTERM")
                .isTrue();
        processes.processes.remove(autoscale.process());
        System.out.println("AutoscaleIT: autoscale's output:\n" + CliProcesses.read(autoscale.out()));
        System.out.println("AutoscaleIT: timeline (" + timeline + "):\n" + CliProcesses.read(timeline));
        System.out.printf(
                "AutoscaleIT: events %d (labelled %d), predictions %d, duplicates %d, lost %d, examplesSeen %d%n",
                EVENTS,
                labelled,
                outputs.predictions.size(),
                outputs.duplicates(),
                outputs.lost(eventIds),
                examplesSeen);
    }

    static void publishBurst(Map<String, Object> client, Topics topics) throws Exception {
        Map<String, Object> props = new HashMap<>(client);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 5);
        SyntheticStream stream = new SyntheticStream(MODEL, Algorithm.LOGISTIC_REGRESSION, 4, 17, Long.MAX_VALUE);
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        try (KafkaProducer<byte[], byte[]> out =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                Event e = stream.next();
                e.setId("burst-" + i);
                if (i % UNLABELLED_EVERY == 0) {
                    e.setLabel(null);
                } else {
                    labelled++;
                }
                out.send(new ProducerRecord<>(
                        topics.events(), e.getId().getBytes(StandardCharsets.UTF_8), avro.encode(e)));
                eventIds.add(e.getId());
            }
            out.flush();
        }
    }

    /** The timeline's rows as (elapsed tenths of a second, instances), once {@code done} holds for them. */
    static List<int[]> awaitRows(Path timeline, java.util.function.Predicate<List<int[]>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<int[]> rows = rows(timeline);
        while (!done.test(rows)) {
            autoscale.requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the timeline did not get there within " + timeout + ":\n"
                        + CliProcesses.read(timeline) + "\nautoscale's output:\n" + CliProcesses.read(autoscale.out()));
            }
            Thread.sleep(250);
            rows = rows(timeline);
        }
        return rows;
    }

    static List<int[]> rows(Path timeline) {
        int columns = dev.tributary.autoscale.Timeline.HEADER.split(",").length;
        return CliProcesses.read(timeline)
                .lines()
                .skip(1)
                .map(l -> l.split(",", -1))
                .filter(f -> f.length == columns)
                .map(f -> new int[] {(int) Math.round(Double.parseDouble(f[0]) * 10), Integer.parseInt(f[1])})
                .toList();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        CliProcesses.tearDown(processes, Duration.ofSeconds(60), kafka, outputs, registry);
    }

    @Test
    void noInstanceRunsWhileThereAreNoEvents() {
        assertThat(idleRows)
                .hasSizeGreaterThanOrEqualTo(IDLE_POLLS)
                .allSatisfy(r -> assertThat(r[1]).isZero());
    }

    @Test
    void theBurstTakesItUpToMaxOneStepAtATimeThenDownToOneAndZero() {
        List<Integer> counts = burstRows.stream().map(r -> r[1]).toList();
        assertThat(counts.stream().mapToInt(Integer::intValue).max().orElse(0))
                .as("most instances")
                .isEqualTo(MAX);
        for (int i = 1; i < counts.size(); i++) {
            assertThat(Math.abs(counts.get(i) - counts.get(i - 1)))
                    .as("step at poll " + i + " of " + counts)
                    .isLessThanOrEqualTo(1);
        }
        List<Integer> afterPeak = counts.subList(counts.indexOf(MAX), counts.size());
        assertThat(afterPeak).as("after the peak").contains(1).endsWith(0);
        assertThat(afterPeak.stream().mapToInt(Integer::intValue).min().orElse(-1))
                .as("fewest after the peak")
                .isZero();
    }

    @Test
    void everyDecisionIsPrintedAndSigtermStopsTheAutoscaler() {
        String out = CliProcesses.read(autoscale.out());
        assertThat(out)
                .contains(
                        "0 → 1 instances",
                        "1 → 2 instances",
                        "2 → 3 instances",
                        "3 → 2 instances",
                        "2 → 1 instances",
                        "1 → 0 instances")
                .contains("Stopping 0 instances.");
        assertThat(out).doesNotContain("exited on its own");
    }

    @Test
    void everyEventGetsExactlyOnePredictionAcrossTheScaling() {
        assertThat(outputs.duplicates()).as("duplicate predictions").isZero();
        assertThat(outputs.lost(eventIds)).as("events without a prediction").isZero();
        assertThat(outputs.predictions).hasSize(EVENTS);
        assertThat(outputs.deadLetters).isEmpty();
    }

    @Test
    void theModelLearnedEachLabelledEventExactlyOnce() {
        assertThat(examplesSeen).isEqualTo(labelled);
    }
}
