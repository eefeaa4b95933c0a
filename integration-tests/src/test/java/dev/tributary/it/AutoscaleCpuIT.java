package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.autoscale.Timeline;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary autoscale --policy lag,cpu} as a separate process with a lag threshold no load
 * here reaches: one instance is kept busy with events of many features (scored and learned), the
 * cpu policy adds a second instance, and once the load stops it removes it again after the
 * scale-down window. The timeline (each policy's count and the chosen one at every poll) is printed.
 */
class AutoscaleCpuIT {
    static final Path WORK = Path.of("target", "autoscale-cpu").toAbsolutePath();
    static final String APPLICATION_ID = "autoscale-cpu-it";
    static final String MODEL = "autoscale-cpu-wide";
    static final int FEATURES = 200;
    static final int EVENTS_PER_SECOND = 5000;
    static final int DOWN_WINDOW_SECONDS = 10;
    /** Low, as the machine's cores are shared: a busy instance gets what the others leave it. */
    static final int CPU_TARGET_PERCENT = 10;

    static final double TARGET = CPU_TARGET_PERCENT / 100.0;
    static final String LAG_THRESHOLD = "100000000";

    static CliProcesses processes;
    static EmbeddedKafka kafka;
    static ModelRegistry registry;
    static Background autoscale;
    static Path timeline;
    static List<String[]> rows;
    /** The first row at 2 instances: the load stops when the test sees it. */
    static int loadStoppedAtRow;

    @BeforeAll
    static void loadOneInstanceThenStop() throws Exception {
        processes = new CliProcesses(WORK);
        kafka = EmbeddedKafka.start();
        String bootstrap = kafka.bootstrapServers();
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        Topics topics = Topics.defaults();
        try (Admin admin = Admin.create(client)) {
            topics.ensure(admin, 4);
        }
        SyntheticStream stream =
                new SyntheticStream(MODEL, Algorithm.LOGISTIC_REGRESSION, FEATURES, 23, Long.MAX_VALUE);
        registry = new ModelRegistry(client, topics.models());
        registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, stream.featureNames())
                .setPublishEvery(5000)
                .setPublishIntervalMs(2000)
                .build());

        timeline = WORK.resolve("timeline.csv");
        autoscale = processes.background(
                "autoscale",
                "autoscale",
                "--bootstrap-servers",
                bootstrap,
                "--application-id",
                APPLICATION_ID,
                "--policy",
                "lag,cpu",
                "--min",
                "1",
                "--max",
                "2",
                "--lag-threshold",
                LAG_THRESHOLD,
                "--cpu-target",
                String.valueOf(CPU_TARGET_PERCENT),
                "--scale-down-window",
                String.valueOf(DOWN_WINDOW_SECONDS),
                "--warm-up",
                "5",
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
        awaitRows(
                r -> !r.isEmpty() && instances(r.get(r.size() - 1)) == 1 && cpu(r.get(r.size() - 1)) != null,
                Duration.ofSeconds(90));

        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = new Thread(() -> publish(client, topics, stream, loading), "cpu-load");
        load.start();
        try {
            awaitRows(r -> r.stream().anyMatch(row -> instances(row) == 2), Duration.ofSeconds(120));
        } finally {
            loading.set(false);
            load.join(30_000);
        }
        List<String[]> upTo = rows();
        loadStoppedAtRow = upTo.indexOf(
                upTo.stream().filter(row -> instances(row) == 2).findFirst().orElseThrow());
        rows = awaitRows(
                r -> r.size() > loadStoppedAtRow + 1 && instances(r.get(r.size() - 1)) == 1, Duration.ofSeconds(120));

        autoscale.process().destroy();
        assertThat(autoscale.process().waitFor(60, TimeUnit.SECONDS))
                .as("autoscale stops on SIGTERM")
                .isTrue();
        processes.processes.remove(autoscale.process());
        System.out.println("AutoscaleCpuIT: autoscale's output:\n" + CliProcesses.read(autoscale.out()));
        System.out.println("AutoscaleCpuIT: timeline (" + timeline + "):\n" + CliProcesses.read(timeline));
    }

    /** Sends {@value #EVENTS_PER_SECOND} events a second until told to stop. */
    static void publish(Map<String, Object> client, Topics topics, SyntheticStream stream, AtomicBoolean loading) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("linger.ms", 20);
        props.put("max.in.flight.requests.per.connection", 2);
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        try (KafkaProducer<byte[], byte[]> out =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (long i = 0; loading.get(); i++) {
                Event e = stream.next();
                e.setId("cpu-" + i);
                out.send(new ProducerRecord<>(
                        topics.events(), e.getId().getBytes(StandardCharsets.UTF_8), avro.encode(e)));
                long ahead = i * 1_000_000_000L / EVENTS_PER_SECOND - (System.nanoTime() - start);
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String[]> awaitRows(java.util.function.Predicate<List<String[]>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String[]> r = rows();
        while (!done.test(r)) {
            autoscale.requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the timeline did not get there within " + timeout + ":\n"
                        + CliProcesses.read(timeline) + "\nautoscale's output:\n" + CliProcesses.read(autoscale.out()));
            }
            Thread.sleep(250);
            r = rows();
        }
        return r;
    }

    /** Complete rows of the timeline, split into its columns. */
    static List<String[]> rows() {
        int columns = Timeline.HEADER.split(",").length;
        return CliProcesses.read(timeline)
                .lines()
                .skip(1)
                .map(l -> l.split(",", -1))
                .filter(f -> f.length == columns)
                .toList();
    }

    static int column(String name) {
        return List.of(Timeline.HEADER.split(",")).indexOf(name);
    }

    static int instances(String[] row) {
        return Integer.parseInt(row[column("instances")]);
    }

    static Integer desired(String[] row, String policy) {
        String v = row[column(policy + "_desired")];
        return v.isEmpty() ? null : Integer.valueOf(v);
    }

    static Double cpu(String[] row) {
        String v = row[column("cpu")];
        return v.isEmpty() ? null : Double.valueOf(v);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        CliProcesses.tearDown(processes, Duration.ofSeconds(60), kafka, registry);
    }

    @Test
    void theCpuPolicyAddedTheSecondInstanceWhileTheLagPolicyWantedOne() {
        int firstTwo = 0;
        while (instances(rows.get(firstTwo)) != 2) {
            firstTwo++;
        }
        String[] step = rows.get(firstTwo);
        assertThat(desired(step, "cpu")).as("cpu's count at the step up").isEqualTo(2);
        assertThat(cpu(step)).as("cpu utilisation at the step up").isGreaterThan(TARGET * 1.1);
        assertThat(rows.subList(0, firstTwo + 1))
                .allSatisfy(r -> assertThat(desired(r, "lag")).as("lag's count").isEqualTo(1));
        assertThat(CliProcesses.read(autoscale.out())).contains("1 → 2 instances");
    }

    @Test
    void theSecondInstanceIsRemovedOnlyAfterTheScaleDownWindow() {
        List<String[]> after = rows.subList(loadStoppedAtRow, rows.size());
        assertThat(instances(after.get(after.size() - 1))).isEqualTo(1);
        // after the load, a poll at 2 instances whose utilisation alone would allow one: ceil(2 × cpu / target) ≤ 1
        List<String[]> heldByTheWindow = after.stream()
                .filter(r -> instances(r) == 2 && cpu(r) != null && cpu(r) <= TARGET / 2 && desired(r, "cpu") == 2)
                .toList();
        assertThat(heldByTheWindow)
                .as("polls at 2 instances the scale-down window held")
                .isNotEmpty();
        assertThat(CliProcesses.read(autoscale.out())).contains("2 → 1 instances");
    }
}
