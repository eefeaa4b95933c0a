package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.DeadLetters;
import dev.tributary.it.CliProcesses.Background;
import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A function triggered by a real PostgreSQL table, {@code run --functions} as a separate process:
 * rows already there (the snapshot), rows inserted while it runs, labels set later by UPDATE
 * (feedback), an UPDATE of another column and a DELETE (ignored), a row with a NULL feature (a dead
 * letter); then the function is killed (SIGKILL), rows are inserted and labels set while it is down,
 * and it is started again. Counted at the end: one prediction per usable row, none twice; the
 * model learned each labelled row once; the sink table holds one row per prediction.
 */
class DatabaseTriggerIT {
    static final Path WORK = Path.of("target", "database-trigger").toAbsolutePath();
    static final String FUNCTION = "house-prices";
    static final String MODEL = "houses";
    static final String OUTPUT = "houses.predictions";

    static CliProcesses processes;
    static EmbeddedKafka kafka;
    static TestPostgres postgres;
    static ModelRegistry registry;
    static Outputs outputs;
    static final List<String> usableIds = new ArrayList<>();
    static int labelled;
    static long examplesSeen;
    static long sinkRows;
    static String firstRunLog;
    static final SplittableRandom random = new SplittableRandom(5);

    @BeforeAll
    static void rowsInPredictionsOut() throws Exception {
        processes = new CliProcesses(WORK);
        kafka = EmbeddedKafka.start();
        postgres = TestPostgres.start();
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        Topics topics = Topics.defaults();
        try (Admin admin = Admin.create(client)) {
            topics.ensure(admin, 4);
        }
        registry = new ModelRegistry(client, topics.models());
        registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, List.of("sqft", "rooms"))
                .setPublishEvery(1000)
                .setPublishIntervalMs(500)
                .setLabelWaitMs(Duration.ofMinutes(30).toMillis())
                .build());
        Path file = WORK.resolve("functions.yaml");
        Files.writeString(file, """
        functions:
          - name: %s
            kind: both
            trigger:
              database:
                url: %s
                user: %s
                table: houses
                model: %s
                label: sold
                startFrom: snapshot
                batchSize: 10
                batchWindow: 200ms
            output: %s
            sink:
              database:
                table: public.house_predictions
        """.formatted(FUNCTION, postgres.url(), TestPostgres.USER, MODEL, OUTPUT));

        try (Connection db = postgres.connect();
                Statement s = db.createStatement()) {
            s.execute(
                    "CREATE TABLE houses (id integer PRIMARY KEY, sqft double precision, rooms integer, sold integer, note text)");
            insert(db, 1, 10, 4);
        }
        Background run = start(file);
        firstRunLog = CliProcesses.read(run.err());
        try (Connection db = postgres.connect();
                Statement s = db.createStatement()) {
            insert(db, 11, 30, 5);
            s.execute("INSERT INTO houses (id, sqft, rooms) VALUES (31, NULL, 3)");
            outputs = new Outputs(
                            client,
                            new Topics(topics.events(), OUTPUT, topics.models(), topics.deadLetters(), topics.usage()),
                            "database-trigger-it")
                    .readUntil(30, 1, Duration.ofSeconds(120), Duration.ZERO);
            labelled += s.executeUpdate("UPDATE houses SET sold = id % 2 WHERE id BETWEEN 5 AND 10");
            s.execute("UPDATE houses SET note = 'repainted' WHERE id = 1");
            s.execute("DELETE FROM houses WHERE id = 2");
            Thread.sleep(3000);
        }
        run.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        processes.processes.remove(run.process());
        try (Connection db = postgres.connect();
                Statement s = db.createStatement()) {
            insert(db, 32, 41, 2);
            labelled += s.executeUpdate("UPDATE houses SET sold = 1 WHERE id BETWEEN 16 AND 20");
        }
        start(file);
        outputs.readUntil(usableIds.size(), 1, Duration.ofSeconds(180), Duration.ofSeconds(5));
        examplesSeen = Outputs.settledExamplesSeen(registry, Map.of(MODEL, labelled), Duration.ofSeconds(60))
                .get(MODEL);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((sinkRows = sinkRows()) < outputs.predictions.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        System.out.printf(
                "DatabaseTriggerIT: usable rows %d (labelled %d), predictions %d, duplicates %d, lost %d, "
                        + "dead letters %d, examplesSeen %d, sink rows %d%n",
                usableIds.size(),
                labelled,
                outputs.predictions.size(),
                outputs.duplicates(),
                outputs.lost(usableIds),
                outputs.deadLetters.size(),
                examplesSeen,
                sinkRows);
    }

    /** Rows {@code from}..{@code to}; the first {@code withLabel} of them labelled already. */
    static void insert(Connection db, int from, int to, int withLabel) throws SQLException {
        try (PreparedStatement s =
                db.prepareStatement("INSERT INTO houses (id, sqft, rooms, sold) VALUES (?, ?, ?, ?)")) {
            for (int id = from; id <= to; id++) {
                s.setInt(1, id);
                s.setDouble(2, 40 + random.nextDouble(160));
                s.setInt(3, 1 + random.nextInt(6));
                if (id - from < withLabel) {
                    s.setInt(4, id % 2);
                    labelled++;
                } else {
                    s.setNull(4, java.sql.Types.INTEGER);
                }
                s.executeUpdate();
                usableIds.add(String.valueOf(id));
            }
        }
    }

    static Background start(Path file) throws Exception {
        Background run = processes.background(
                "run",
                "run",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--functions",
                file.toString(),
                "--http-port",
                "0",
                "--state-dir",
                WORK.resolve("state").toString());
        run.awaitOutput("Tributary functions running", Duration.ofSeconds(120));
        return run;
    }

    static long sinkRows() throws SQLException {
        try (Connection db = postgres.connect();
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM public.house_predictions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        CliProcesses.tearDown(processes, Duration.ofSeconds(60), kafka, outputs, registry, postgres);
    }

    @Test
    void everyUsableRowGetsExactlyOnePredictionAcrossTheKill() {
        assertThat(outputs.duplicates()).as("rows scored twice").isZero();
        assertThat(outputs.lost(usableIds)).as("rows without a prediction").isZero();
        assertThat(outputs.predictions).hasSize(usableIds.size());
    }

    @Test
    void theModelLearnedEachLabelledRowOnce() {
        assertThat(examplesSeen).isEqualTo(labelled);
    }

    @Test
    void theSinkTableHoldsOneRowPerPrediction() {
        assertThat(sinkRows).isEqualTo(outputs.predictions.size());
    }

    @Test
    void aRowWithANullFeatureIsADeadLetterNamingTableKeyAndReason() {
        assertThat(outputs.deadLetterKeys()).containsExactly("31");
        assertThat(DeadLetters.header(outputs.deadLetters.get(0).headers(), DeadLetters.ERROR_MESSAGE))
                .isEqualTo("table public.houses, key 31: feature column 'sqft' is NULL");
    }

    @Test
    void theFirstStartWroteTheTableFirst() {
        assertThat(firstRunLog).contains("slot tributary_house_prices created");
    }
}
