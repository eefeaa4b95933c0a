package dev.tributary.it;

import static dev.tributary.it.CliProcesses.awaitAcceptsConnections;
import static dev.tributary.it.CliProcesses.freePort;
import static dev.tributary.it.CliProcesses.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.it.CliProcesses.Background;
import dev.tributary.it.CliProcesses.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The user's path, typed as a user types it: every step runs the CLI itself ({@code java -jar
 * tributary.jar ...}) as its own OS process. A broker, two models, two function instances of one
 * application (scale-out), events from a JSON-lines file (with broken lines) and from a CSV file,
 * predictions and dead letters read back with {@code consume}, and the registry inspected with
 * {@code models versions} and {@code models show}. Each process's stdout and stderr are kept under
 * {@code target/cli-e2e/logs}; every process still running is ended in {@link #stopEverything()}.
 */
class CliEndToEndIT {
    static final Path WORK = Path.of("target", "cli-e2e").toAbsolutePath();
    static final Path INPUT = WORK.resolve("input");
    static final String APPLICATION_ID = "cli-e2e";
    static final String EVENTS = "tributary.events";
    static final ObjectMapper JSON = new ObjectMapper();

    static CliProcesses processes;
    static String bootstrap;
    static Background broker;
    static final List<Background> instances = new ArrayList<>();

    /** Event id → model, of every event that must get exactly one prediction. */
    static final Map<String, String> validEvents = new HashMap<>();
    /** Key → a fragment of the reason, of every record that must be dead-lettered. */
    static final Map<String, String> brokenEvents = new HashMap<>();
    /** Key → value of the broken records: produce --json refuses a file with them, so a plain producer sends them. */
    static final Map<String, String> brokenRecords = new java.util.LinkedHashMap<>();

    static int publishedRecords;

    @BeforeAll
    static void startBrokerModelsAndTwoInstances() throws Exception {
        processes = new CliProcesses(WORK);
        Files.createDirectories(INPUT);

        int port = freePort();
        bootstrap = "127.0.0.1:" + port;
        broker = background(
                "broker",
                "broker",
                "--port",
                String.valueOf(port),
                "--data-dir",
                WORK.resolve("broker-data").toString());
        broker.awaitOutput("Kafka broker running on " + bootstrap, Duration.ofSeconds(60));
        awaitAcceptsConnections(port, Duration.ofSeconds(10));

        // Two instances of one application, each with its own state directory: scale-out.
        for (int i = 1; i <= 2; i++) {
            instances.add(background(
                    "run-" + i,
                    "run",
                    "--bootstrap-servers",
                    bootstrap,
                    "--application-id",
                    APPLICATION_ID,
                    "--state-dir",
                    WORK.resolve("state-" + i).toString()));
        }
        // Models are created while the instances start: a version every 50 examples or second.
        List<Result> created = cliAll(
                args(
                        "models",
                        "create",
                        "house",
                        "--algorithm",
                        "linear",
                        "--features",
                        "size,rooms",
                        "--publish-every",
                        "50",
                        "--publish-interval-ms",
                        "1000",
                        "--bootstrap-servers",
                        bootstrap),
                args(
                        "models",
                        "create",
                        "churn",
                        "--algorithm",
                        "logistic",
                        "--features",
                        "x1,x2",
                        "--publish-every",
                        "50",
                        "--publish-interval-ms",
                        "1000",
                        "--bootstrap-servers",
                        bootstrap));
        for (Result r : created) {
            assertThat(r.code()).as(r.describe()).isZero();
            assertThat(r.out()).contains("Created model '").contains("with version 0");
        }

        for (Background instance : instances) {
            instance.awaitOutput("Tributary functions running", Duration.ofSeconds(90));
        }
        awaitBothInstancesHavePartitions(Duration.ofSeconds(60));

        // Every test reads what these files produce; none depends on another test having run.
        int csvRows = 150;
        Path json = writeJsonEvents();
        Path csv = writeHouseCsv(csvRows);
        List<Result> produced = cliAll(
                args("produce", "--json", json.toString(), "--bootstrap-servers", bootstrap),
                args(
                        "produce",
                        "--model",
                        "house",
                        "--csv",
                        csv.toString(),
                        "--label",
                        "price",
                        "--bootstrap-servers",
                        bootstrap));
        produced.forEach(r -> assertThat(r.code()).as(r.describe()).isZero());
        assertThat(produced.get(0).out())
                .contains("Published " + (publishedRecords - brokenRecords.size()) + " events");
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> out =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (Map.Entry<String, String> broken : brokenRecords.entrySet()) {
                out.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        EVENTS,
                        broken.getKey().getBytes(StandardCharsets.UTF_8),
                        broken.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(produced.get(1).out()).contains("Published " + csvRows + " events for model 'house'");
        publishedRecords += csvRows;
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        // The instances first, while their broker is still there to commit to; then the broker.
        if (processes == null) {
            return;
        }
        List<Process> instancesFirst = new ArrayList<>(processes.processes);
        instancesFirst.removeIf(p -> broker != null && p == broker.process());
        stop(instancesFirst, Duration.ofSeconds(15));
        if (broker != null) {
            stop(List.of(broker.process()), Duration.ofSeconds(15));
        }
        assertThat(processes.processes.stream().filter(Process::isAlive).toList())
                .as("processes left running")
                .isEmpty();
    }

    @Test
    void anUnknownFlagIsOneLineAndExitTwo() throws Exception {
        Result r = cli("consume", "--bogus", "--bootstrap-servers", bootstrap);
        assertThat(r.code()).as(r.describe()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(r.describe()).hasSize(1);
        assertThat(r.err()).contains("Unknown option: '--bogus'");
        assertNoStackTrace(r);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMalformedCsvIsRefusedWithItsLineNumberAndNothingIsPublished() throws Exception {
        Path csv = write("broken.csv", "size,rooms,price\n50,2,150000\n60,three,180000\n70,3,210000\n");
        Result r = cli(
                "produce",
                "--model",
                "house",
                "--csv",
                csv.toString(),
                "--label",
                "price",
                "--bootstrap-servers",
                bootstrap);
        assertThat(r.code()).as(r.describe()).isEqualTo(1);
        assertThat(r.err()).contains("line 3").contains("rooms");
        assertThat(r.err().lines().toList()).as(r.describe()).hasSize(1);
        assertNoStackTrace(r);
        assertThat(r.out()).doesNotContain("Published");
        Result events = cli(
                "consume",
                "--topic",
                EVENTS,
                "--max",
                String.valueOf(publishedRecords + 1),
                "--from-beginning",
                "--timeout",
                "3",
                "--bootstrap-servers",
                bootstrap);
        assertThat(jsonLines(events.out()))
                .as("records on " + EVENTS + ": the good files' only")
                .hasSize(publishedRecords);
    }

    @Test
    void everyValidEventGetsExactlyOnePredictionAndBrokenOnesAreDeadLettered() throws Exception {
        int expected = validEvents.size();
        Result consumed = cli(
                "consume",
                "--max",
                String.valueOf(expected),
                "--from-beginning",
                "--timeout",
                "30",
                "--bootstrap-servers",
                bootstrap);
        assertThat(consumed.code()).as(consumed.describe()).isZero();
        Map<String, Integer> perEvent = new HashMap<>();
        for (JsonNode p : jsonLines(consumed.out())) {
            String id = p.path("eventId").asText();
            perEvent.merge(id, 1, Integer::sum);
            assertThat(p.path("model").asText()).as("model of " + id).isEqualTo(validEvents.get(id));
            assertThat(p.path("modelVersion").asLong(-1)).as("version of " + id).isGreaterThanOrEqualTo(0);
            assertThat(p.path("value").isNumber()).as("value of " + id).isTrue();
            if (p.path("model").asText().equals("churn")) {
                assertThat(p.path("value").asDouble()).isBetween(0.0, 1.0);
                assertThat(p.path("predictedClass").asInt(-1)).isIn(0, 1);
            } else {
                assertThat(p.path("predictedClass").isNull()).isTrue();
            }
        }
        assertThat(perEvent.keySet())
                .as("events with a prediction")
                .containsExactlyInAnyOrderElementsOf(validEvents.keySet());
        assertThat(perEvent.values()).as("predictions per event").containsOnly(1);

        List<Result> after = cliAll(
                // nothing more: no second prediction of any event, none for a broken one
                args(
                        "consume",
                        "--max",
                        String.valueOf(expected + 1),
                        "--from-beginning",
                        "--timeout",
                        "3",
                        "--bootstrap-servers",
                        bootstrap),
                args(
                        "consume",
                        "--topic",
                        "tributary.dead-letters",
                        "--max",
                        String.valueOf(brokenEvents.size()),
                        "--from-beginning",
                        "--timeout",
                        "30",
                        "--bootstrap-servers",
                        bootstrap),
                // what was published: the two good files, nothing of the malformed CSV
                args(
                        "consume",
                        "--topic",
                        EVENTS,
                        "--max",
                        String.valueOf(publishedRecords + 1),
                        "--from-beginning",
                        "--timeout",
                        "3",
                        "--bootstrap-servers",
                        bootstrap));
        after.forEach(r -> assertThat(r.code()).as(r.describe()).isZero());
        assertThat(jsonLines(after.get(0).out())).as("all predictions").hasSize(expected);

        Map<String, String> reasons = new HashMap<>();
        for (JsonNode d : jsonLines(after.get(1).out())) {
            String reason = d.path("headers").path("tributary.error.message").asText();
            assertThat(reasons.put(d.path("key").asText(), reason))
                    .as("dead letters of " + d.path("key"))
                    .isNull();
        }
        assertThat(reasons.keySet())
                .as("dead-lettered keys")
                .containsExactlyInAnyOrderElementsOf(brokenEvents.keySet());
        brokenEvents.forEach((key, fragment) -> assertThat(reasons.get(key))
                .as("reason for " + key)
                .isNotBlank()
                .containsIgnoringCase(fragment));

        assertThat(jsonLines(after.get(2).out())).as("records on " + EVENTS).hasSize(publishedRecords);
        assertThat(after.get(2).out()).doesNotContain("broken.csv");
    }

    @Test
    void theModelsLearnedNewVersions() throws Exception {
        for (Result r : awaitNewVersions()) {
            assertThat(r.out()).startsWith("VERSION");
            assertThat(newestVersion(r.out())).as(r.describe()).isGreaterThan(0);
        }
    }

    /** {@code models versions} of both models, once each has published a version after version 0 (or after 30 s). */
    static List<Result> awaitNewVersions() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Result> versions = cliAll(
                    args("models", "versions", "house", "--bootstrap-servers", bootstrap),
                    args("models", "versions", "churn", "--bootstrap-servers", bootstrap));
            versions.forEach(r -> assertThat(r.code()).as(r.describe()).isZero());
            if (versions.stream().allMatch(r -> newestVersion(r.out()) > 0) || System.nanoTime() > deadline) {
                return versions;
            }
            Thread.sleep(1000);
        }
    }

    @Test
    void modelsShowPrintsWeightsPerFeature() throws Exception {
        Map<String, List<String>> features = Map.of("house", List.of("size", "rooms"), "churn", List.of("x1", "x2"));
        awaitNewVersions();
        List<Result> shown = cliAll(
                args("models", "show", "house", "--bootstrap-servers", bootstrap),
                args("models", "show", "churn", "--bootstrap-servers", bootstrap),
                args("models", "show", "no-such-model", "--bootstrap-servers", bootstrap));
        for (var model : features.entrySet()) {
            Result r = shown.get(model.getKey().equals("house") ? 0 : 1);
            assertThat(r.code()).as(r.describe()).isZero();
            JsonNode version = JSON.readTree(r.out());
            assertThat(version.path("model").asText()).isEqualTo(model.getKey());
            assertThat(version.path("version").asLong()).isGreaterThan(0);
            assertThat(version.path("examplesSeen").asLong()).isGreaterThan(0);
            List<String> names = new ArrayList<>();
            version.path("weights").fieldNames().forEachRemaining(names::add);
            assertThat(names).as("weights of " + model.getKey()).containsExactlyElementsOf(model.getValue());
            model.getValue()
                    .forEach(f -> assertThat(version.path("weights").path(f).isNumber())
                            .as(f)
                            .isTrue());
            assertThat(version.path("weights").path(model.getValue().get(0)).asDouble())
                    .as("a learned weight")
                    .isNotZero();
            assertThat(version.path("metrics").size())
                    .as("metrics of " + model.getKey())
                    .isPositive();
        }
        Result unknown = shown.get(2);
        assertThat(unknown.code()).as(unknown.describe()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown model 'no-such-model'");
        assertNoStackTrace(unknown);
    }

    // -- the inputs

    /** JSON lines for both models, unlabelled ones too; and four broken records, sent on their own. */
    static Path writeJsonEvents() throws IOException {
        Random random = new Random(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double size = 30 + random.nextInt(170);
            int rooms = 1 + random.nextInt(6);
            String label = i < 110 ? ",\"label\":" + (size * 3000 + rooms * 10000 + random.nextGaussian() * 5000) : "";
            String id = "house-" + i;
            lines.add(String.format(
                    Locale.ROOT,
                    "{\"id\":\"%s\",\"model\":\"house\",\"features\":{\"size\":%.1f,\"rooms\":%d}%s}",
                    id,
                    size,
                    rooms,
                    label));
            validEvents.put(id, "house");

            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            String cls = i < 110 ? ",\"label\":" + (2 * x1 - x2 + 0.3 * random.nextGaussian() > 0 ? 1 : 0) : "";
            id = "churn-" + i;
            lines.add(String.format(
                    Locale.ROOT,
                    "{\"id\":\"%s\",\"model\":\"churn\",\"features\":{\"x1\":%.4f,\"x2\":%.4f}%s}",
                    id,
                    x1,
                    x2,
                    cls));
            validEvents.put(id, "churn");
        }
        brokenRecords.put("not-json", "this line is not JSON");
        brokenEvents.put("not-json", "");
        brokenRecords.put(
                "broken-unknown-model",
                "{\"id\":\"broken-unknown-model\",\"model\":\"no-such-model\",\"features\":{\"x1\":1.0}}");
        brokenEvents.put("broken-unknown-model", "unknown model");
        brokenRecords.put(
                "broken-label",
                "{\"id\":\"broken-label\",\"model\":\"churn\",\"features\":{\"x1\":1.0,\"x2\":2.0},\"label\":7}");
        brokenEvents.put("broken-label", "label");
        brokenRecords.put(
                "broken-missing-feature",
                "{\"id\":\"broken-missing-feature\",\"model\":\"house\",\"features\":{\"size\":80.0}}");
        brokenEvents.put("broken-missing-feature", "rooms");
        publishedRecords = lines.size() + brokenRecords.size();
        return write("events.jsonl", String.join("\n", lines) + "\n");
    }

    /** A CSV of house prices, label last; its events are {@code house.csv:LINE}. */
    static Path writeHouseCsv(int rows) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("size,rooms,price\n");
        for (int i = 0; i < rows; i++) {
            double size = 30 + random.nextInt(170);
            int rooms = 1 + random.nextInt(6);
            csv.append(String.format(
                    Locale.ROOT,
                    "%.1f,%d,%.0f%n",
                    size,
                    rooms,
                    size * 3000 + rooms * 10000 + random.nextGaussian() * 5000));
            validEvents.put("house.csv:" + (i + 2), "house");
        }
        return write("house.csv", csv.toString());
    }

    static Path write(String name, String content) throws IOException {
        return Files.writeString(INPUT.resolve(name), content, StandardCharsets.UTF_8);
    }

    // -- waiting for things

    /** The newest version in a {@code models versions} table, or -1. */
    static long newestVersion(String table) {
        return table.lines()
                .skip(1)
                .map(String::trim)
                .filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0])
                .filter(v -> v.matches("\\d+"))
                .mapToLong(Long::parseLong)
                .max()
                .orElse(-1);
    }

    /** Both instances are members of the application's group, each with partitions of the events topic. */
    static void awaitBothInstancesHavePartitions(Duration timeout) throws Exception {
        CliProcesses.awaitMembersWithPartitions(bootstrap, APPLICATION_ID, EVENTS, 2, instances, timeout);
    }

    // -- processes (see CliProcesses)

    /** Runs one CLI command to its end (at most {@link CliProcesses#COMMAND_TIMEOUT}). */
    static Result cli(String... args) throws IOException, InterruptedException {
        return processes.cliAll(List.<String[]>of(args)).get(0);
    }

    /** Runs CLI commands side by side, each to its end; their results in order. */
    static List<Result> cliAll(String[]... commands) throws IOException, InterruptedException {
        return processes.cliAll(List.of(commands));
    }

    static String[] args(String... args) {
        return args;
    }

    /** Starts a long-running command (broker, run). */
    static Background background(String name, String... args) throws IOException {
        return processes.background(name, args);
    }

    // -- small helpers

    static List<JsonNode> jsonLines(String out) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            try {
                nodes.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return nodes;
    }

    static void assertNoStackTrace(Result r) {
        assertThat(r.err()).as(r.describe()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }
}
