package dev.tributary.functions.spec;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A function's PostgreSQL table: {@code trigger: database:} (the rows that trigger it) and {@code
 * sink: database:} (where its predictions are upserted, in the trigger's database).
 */
final class DatabaseSection {
    static final Set<String> KEYS = Set.of(
            "url",
            "user",
            "passwordEnv",
            "table",
            "model",
            "modelColumn",
            "label",
            "startFrom",
            "batchSize",
            "batchWindow",
            "retries",
            "onFailure");
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://[^/]+/[^/?]+(\\?.*)?");
    private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_$]*\\.)?[a-z_][a-z0-9_$]*");
    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DatabaseSection() {}

    /** {@code trigger: database:} of the function {@code function}, or null when it has problems (reported). */
    static DatabaseTrigger trigger(Section spec, String function) {
        Section trigger = spec.section("trigger");
        if (trigger.has("topics") || trigger.has("pattern")) {
            trigger.problem(
                    trigger.line(),
                    "trigger has database and " + (trigger.has("topics") ? "topics" : "pattern")
                            + ": give one (a table's changes go through the topic " + DatabaseTrigger.topic(function)
                            + ")");
            return null;
        }
        Section db = trigger.section("database");
        if (db == null) {
            trigger.problem(
                    trigger.line("database"),
                    "database must be a mapping with url:, user:, table: and model: (or modelColumn:)");
            return null;
        }
        int before = db.problemCount();
        if (db.has("password")) {
            db.refuse(
                    "password",
                    "a password never goes in the file: put it in an environment variable and "
                            + "name that with passwordEnv:");
        }
        db.unknownKeys(KEYS, "of a database trigger");
        String url = required(db, "url", "jdbc:postgresql://127.0.0.1:5432/DATABASE");
        if (url != null && !URL.matcher(url).matches()) {
            db.problem(db.line("url"), "url must be jdbc:postgresql://HOST:PORT/DATABASE, got '" + url + "'");
        }
        String user = required(db, "user", "a role with the REPLICATION attribute");
        String passwordEnv = db.text("passwordEnv", null);
        if (passwordEnv != null && !ENV.matcher(passwordEnv).matches()) {
            db.problem(
                    db.line("passwordEnv"),
                    "passwordEnv must name an environment variable (letters, digits, '_'), got '" + passwordEnv + "'");
        }
        String table = required(db, "table", "public.TABLE");
        table = table == null ? null : qualified(db, table);
        String model = db.text("model", null);
        String modelColumn = column(db, "modelColumn");
        if ((model == null) == (modelColumn == null)) {
            db.problem(
                    db.line(),
                    model == null
                            ? "database needs model: (the model of every row) or modelColumn: "
                                    + "(a column naming each row's model)"
                            : "database has both model and modelColumn: give one");
        }
        String label = column(db, "label");
        DatabaseTrigger.StartFrom start = db.choice(
                "startFrom", DatabaseTrigger.StartFrom.SNAPSHOT, "snapshot (the rows already there first) or latest");
        DatabaseTrigger.Delivery defaults = DatabaseTrigger.Delivery.DEFAULTS;
        Long batchSize = db.whole("batchSize", (long) defaults.batchSize(), 1, 10_000);
        Duration batchWindow = db.duration("batchWindow", defaults.batchWindow(), Duration.ZERO, Duration.ofMinutes(5));
        Long retries = db.whole("retries", (long) defaults.retries(), -1, 1_000);
        String onFailure = db.topic("onFailure", null);
        return db.problemCount() > before
                ? null
                : new DatabaseTrigger(
                        url,
                        user,
                        passwordEnv,
                        table,
                        model,
                        modelColumn,
                        label,
                        start,
                        null,
                        new DatabaseTrigger.Delivery(batchSize.intValue(), batchWindow, retries.intValue(), onFailure));
    }

    /** {@code sink: database: table:}, or null without a sink (or with problems, reported). */
    static String sink(Section spec, boolean databaseTrigger, FunctionSpec.Kind kind) {
        if (!spec.has("sink")) {
            return null;
        }
        Section sink = spec.section("sink");
        Section db = sink == null ? null : sink.section("database");
        if (db == null) {
            spec.problem(spec.line("sink"), "sink must be a mapping: database: { table: SCHEMA.TABLE }");
            return null;
        }
        sink.unknownKeys(Set.of("database"), "of a sink");
        db.unknownKeys(Set.of("table"), "of a database sink");
        String table = required(db, "table", "public.TABLE");
        String qualified = table == null ? null : qualified(db, table);
        if (table != null && qualified == null) {
            return null;
        }
        if (!databaseTrigger) {
            sink.problem(
                    sink.line(), "sink: database needs trigger: database: (the sink writes to the trigger's database)");
        } else if (!kind.scores()) {
            sink.problem(sink.line(), "sink does not apply to a train function (it publishes no predictions)");
        }
        return qualified;
    }

    /** {@code table} with {@code public.} when it names no schema; null when it is no table name (reported). */
    private static String qualified(Section db, String table) {
        if (!TABLE.matcher(table).matches()) {
            db.problem(
                    db.line("table"),
                    "table must be TABLE or SCHEMA.TABLE in lower case letters, digits and '_', got '" + table + "'");
            return null;
        }
        return table.contains(".") ? table : "public." + table;
    }

    private static String required(Section db, String key, String example) {
        String value = db.text(key, null);
        if (value == null || value.isBlank()) {
            db.problem(db.line(key), "database needs " + key + ": (for example " + example + ")");
            return null;
        }
        return value;
    }

    private static String column(Section db, String key) {
        String value = db.text(key, null);
        if (value != null && !COLUMN.matcher(value).matches()) {
            db.problem(
                    db.line(key),
                    key + " must be a column name in lower case letters, digits and '_', got '" + value + "'");
            return null;
        }
        return value;
    }
}
