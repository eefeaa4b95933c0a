package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code trigger: database:} and {@code sink: database:}. */
class DatabaseSectionTest {
    static final String HOUSES = """
      functions:
        - name: house-prices
          kind: both
          trigger:
            database:
              url: jdbc:postgresql://127.0.0.1:5432/shop
              user: tributary
              passwordEnv: PGPASSWORD
              table: houses
              model: houses
              label: price
              startFrom: latest
          output: houses.predictions
          sink:
            database:
              table: public.house_predictions
      """;

    @Test
    void aTableTriggersTheFunctionThroughATopicOfItsOwn() throws Exception {
        FunctionSpecs specs = FunctionSpecReader.read(HOUSES, "f.yaml");
        FunctionSpec f = specs.functions().get(0);
        assertThat(f.trigger().topics()).containsExactly("tributary.db.house-prices");
        assertThat(specs.databases()).containsOnlyKeys("house-prices");
        DatabaseTrigger db = specs.databases().get("house-prices");
        assertThat(db.table()).as("public. when no schema is given").isEqualTo("public.houses");
        assertThat(db.model()).isEqualTo("houses");
        assertThat(db.modelColumn()).isNull();
        assertThat(db.label()).isEqualTo("price");
        assertThat(db.passwordEnv()).isEqualTo("PGPASSWORD");
        assertThat(db.startFrom()).isEqualTo(DatabaseTrigger.StartFrom.LATEST);
        assertThat(db.sinkTable()).isEqualTo("public.house_predictions");
    }

    @Test
    void theDatabaseExampleReads() throws Exception {
        FunctionSpecs specs =
                FunctionSpecReader.read(java.nio.file.Path.of("..", "examples", "database", "functions.yaml"));
        assertThat(specs.databases().get("house-prices").sinkTable()).isEqualTo("public.house_predictions");
    }

    @Test
    void startFromDefaultsToTheSnapshotAndTheSinkIsOptional() throws Exception {
        FunctionSpecs specs = FunctionSpecReader.read("""
        functions:
          - name: f
            trigger:
              database: {url: "jdbc:postgresql://db:5432/shop", user: u, table: s.t, modelColumn: kind}
        """, "f.yaml");
        DatabaseTrigger db = specs.databases().get("f");
        assertThat(db.startFrom()).isEqualTo(DatabaseTrigger.StartFrom.SNAPSHOT);
        assertThat(db.sinkTable()).isNull();
        assertThat(db.modelColumn()).isEqualTo("kind");
    }

    @Test
    void deliveryDefaultsToBatchesOf100WrittenAtOnceRetriedForeverIntoTheDeadLetters() throws Exception {
        DatabaseTrigger db =
                FunctionSpecReader.read(HOUSES, "f.yaml").databases().get("house-prices");
        assertThat(db.delivery()).isEqualTo(DatabaseTrigger.Delivery.DEFAULTS);
        assertThat(db.delivery().batchSize()).isEqualTo(100);
        assertThat(db.delivery().batchWindow()).isZero();
        assertThat(db.delivery().retries()).isEqualTo(-1);
        assertThat(db.delivery().onFailureTopic()).isNull();
    }

    @Test
    void deliveryIsReadFromTheTriggerAndKeptWithASink() throws Exception {
        DatabaseTrigger db = FunctionSpecReader.read(
                        HOUSES.replace(
                                "startFrom: latest",
                                "startFrom: latest\n        batchSize: 500\n        batchWindow: 2s\n"
                                        + "        retries: 3\n        onFailure: houses.rejected"),
                        "f.yaml")
                .databases()
                .get("house-prices");
        assertThat(db.delivery())
                .isEqualTo(new DatabaseTrigger.Delivery(500, java.time.Duration.ofSeconds(2), 3, "houses.rejected"));
        assertThat(db.sinkTable()).isEqualTo("public.house_predictions");
    }

    @Test
    void deliveryValuesOutOfRangeAreReportedOnTheirLines() {
        assertThat(FileProblems.of("""
        functions:
          - name: f
            trigger:
              database:
                url: jdbc:postgresql://db:5432/shop
                user: u
                table: t
                model: m
                batchSize: 0
                batchWindow: 1h
                retries: -2
                onFailure: "bad topic"
        """))
                .hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("functions.yaml:9: batchSize"))
                .anySatisfy(p -> assertThat(p).startsWith("functions.yaml:10: batchWindow"))
                .anySatisfy(p -> assertThat(p).startsWith("functions.yaml:11: retries"))
                .anySatisfy(p -> assertThat(p).startsWith("functions.yaml:12: onFailure"));
    }

    @Test
    void eachBadKeyIsReportedOnItsLine() {
        assertThat(FileProblems.of("""
        functions:
          - name: f
            trigger:
              database:
                url: postgres://db/shop
                password: secret
                passwordEnv: 1PW
                table: Public.Houses
                model: houses
                modelColumn: kind
                label: Price
                startFrom: yesterday
        """))
                .containsExactly(
                        "functions.yaml:4: database needs user: (for example a role with the REPLICATION attribute)",
                        "functions.yaml:4: database has both model and modelColumn: give one",
                        "functions.yaml:5: url must be jdbc:postgresql://HOST:PORT/DATABASE, got 'postgres://db/shop'",
                        "functions.yaml:6: a password never goes in the file: put it in an environment variable and name that with "
                                + "passwordEnv:",
                        "functions.yaml:7: passwordEnv must name an environment variable (letters, digits, '_'), got '1PW'",
                        "functions.yaml:8: table must be TABLE or SCHEMA.TABLE in lower case letters, digits and '_', got 'Public.Houses'",
                        "functions.yaml:11: label must be a column name in lower case letters, digits and '_', got 'Price'",
                        "functions.yaml:12: startFrom must be snapshot (the rows already there first) or latest, got 'yesterday'");
    }

    @Test
    void missingKeysAndMixedTriggersAreReported() {
        assertThat(FileProblems.of("""
        functions:
          - name: f
            trigger:
              database:
                tabel: houses
          - name: g
            trigger:
              topics: [a]
              database: {url: "jdbc:postgresql://db/x", user: u, table: t, model: m}
        """))
                .containsExactly(
                        "functions.yaml:4: database needs url: (for example jdbc:postgresql://127.0.0.1:5432/DATABASE)",
                        "functions.yaml:4: database needs user: (for example a role with the REPLICATION attribute)",
                        "functions.yaml:4: database needs table: (for example public.TABLE)",
                        "functions.yaml:4: database needs model: (the model of every row) or modelColumn: (a column naming each row's model)",
                        "functions.yaml:5: unknown key 'tabel' of a database trigger (known: batchSize, batchWindow, label, model, "
                                + "modelColumn, onFailure, passwordEnv, retries, startFrom, table, url, user)",
                        "functions.yaml:7: trigger has database and topics: give one (a table's changes go through the topic "
                                + "tributary.db.g)");
    }

    @Test
    void aSinkNeedsADatabaseTriggerAndAFunctionThatScores() {
        assertThat(FileProblems.of("""
        functions:
          - name: f
            sink:
              database: {table: preds}
          - name: g
            kind: train
            trigger:
              database: {url: "jdbc:postgresql://db/x", user: u, table: t, model: m}
            sink:
              database: {table: preds, schema: x}
        """))
                .containsExactly(
                        "functions.yaml:3: sink: database needs trigger: database: (the sink writes to the trigger's database)",
                        "functions.yaml:9: sink does not apply to a train function (it publishes no predictions)",
                        "functions.yaml:10: unknown key 'schema' of a database sink (known: table)");
    }
}
