package dev.tributary.functions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.schema.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Reads a function file ({@code functions.yaml}) and checks all of it: every problem is reported,
 * each with its line, before anything runs. The keys and their defaults are listed in
 * docs/operations.md; unknown keys are errors (a typo must not silently fall back to a default).
 */
public final class FunctionSpecReader {
    static final Set<String> FILE_KEYS = Set.of("functions");
    static final Set<String> FUNCTION_KEYS = Set.of(
            "name",
            "kind",
            "trigger",
            "models",
            "output",
            "batchSize",
            "batchWindow",
            "timeout",
            "retries",
            "backoff",
            "maxBackoff",
            "memory",
            "threads",
            "applicationId",
            "sink",
            "outputFormat");
    static final Set<String> TRIGGER_KEYS = Set.of("topics", "pattern", "database");
    static final Set<String> DATABASE_KEYS =
            Set.of("url", "user", "passwordEnv", "table", "model", "modelColumn", "label", "startFrom");
    private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_$]*\\.)?[a-z_][a-z0-9_$]*");
    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final int MAX_RETRIES = 10;
    static final int MAX_THREADS = 64;
    /** Well under Kafka's max.poll.interval.ms (5 min): the stream thread waits this long at most per event. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

    static final Duration MIN_BATCH_WINDOW = Duration.ofMillis(100);
    static final long MIN_MEMORY_BYTES = 16L << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    /** Function names and application ids seen so far, with their lines: each function needs its own. */
    private final Map<String, Integer> names = new HashMap<>();

    private final Map<String, Integer> applicationIds = new HashMap<>();
    private final Map<String, DatabaseTrigger> databases = new HashMap<>();

    private FunctionSpecReader(String source) {
        this.source = source;
    }

    private record Problem(int line, String message) {}

    /** A YAML value with the line it is on (for a mapping's value: the line of its key). */
    private record Node(Object value, int line) {
        @SuppressWarnings("unchecked")
        Map<String, Node> map() {
            return value instanceof Map<?, ?> m ? (Map<String, Node>) m : null;
        }

        @SuppressWarnings("unchecked")
        List<Node> list() {
            return value instanceof List<?> l ? (List<Node>) l : null;
        }

        boolean scalar() {
            return value != null && map() == null && list() == null;
        }
    }

    public static FunctionSpecs read(Path file) throws FunctionSpecException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FunctionSpecException(List.of(file + ": no such file"));
        } catch (IOException e) {
            throw new FunctionSpecException(List.of(file + ": cannot be read: " + e.getMessage()));
        }
        return read(text, file.toString());
    }

    /** @param source how errors name the text (the file name) */
    public static FunctionSpecs read(String yaml, String source) throws FunctionSpecException {
        FunctionSpecReader reader = new FunctionSpecReader(source);
        List<FunctionSpec> functions = reader.functions(reader.parse(yaml));
        if (!reader.problems.isEmpty()) {
            throw new FunctionSpecException(reader.problems.stream()
                    .sorted(Comparator.comparingInt(Problem::line))
                    .map(p -> source + ":" + p.line() + ": " + p.message())
                    .toList());
        }
        return new FunctionSpecs(source, functions, reader.databases);
    }

    private void problem(int line, String message) {
        problems.add(new Problem(line, message));
    }

    // ---- YAML to nodes with lines ----

    private Node parse(String yaml) {
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() == null) {
                problem(1, "the file is empty: it needs a 'functions:' list");
                return null;
            }
            return node(parser, parser.currentTokenLocation().getLineNr());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            problem(line, "not valid YAML: " + yamlProblem(e));
            return null;
        } catch (IOException e) {
            problem(1, "cannot be read: " + e.getMessage());
            return null;
        }
    }

    /** The parser's problem without its echo of the text and positions (the line is given already). */
    private static String yamlProblem(JsonProcessingException e) {
        return e.getOriginalMessage()
                .replaceAll("(?s) in 'reader', line \\d+, column \\d+:.*?(\\^|$)", "")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private Node node(JsonParser p, int line) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = p.currentTokenLocation().getLineNr();
                p.nextToken();
                Node value = node(p, keyLine);
                Node first = map.putIfAbsent(key, value);
                if (first != null) {
                    problem(keyLine, "duplicate key '" + key + "' (first on line " + first.line() + ")");
                }
            }
            return new Node(map, line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(node(p, p.currentTokenLocation().getLineNr()));
            }
            return new Node(list, line);
        }
        return new Node(token == JsonToken.VALUE_NULL ? null : p.getText(), line);
    }

    // ---- nodes to specs ----

    private List<FunctionSpec> functions(Node root) {
        List<FunctionSpec> functions = new ArrayList<>();
        if (root == null) {
            return functions;
        }
        if (root.map() == null) {
            problem(root.line(), "the file must be a mapping with a 'functions:' list");
            return functions;
        }
        unknownKeys(root.map(), FILE_KEYS, "at the top level");
        Node list = root.map().get("functions");
        if (list == null || list.list() == null || list.list().isEmpty()) {
            problem(list == null ? root.line() : list.line(), "'functions:' must list at least one function");
            return functions;
        }
        List<Node> items = new ArrayList<>();
        for (Node item : list.list()) {
            FunctionSpec f = function(item);
            if (f != null) {
                functions.add(f);
                items.add(item);
            }
        }
        checkTopics(items, functions);
        return functions;
    }

    /** Predictions must not trigger a function, nor may a trigger read Tributary's own registry or dead letters. */
    private void checkTopics(List<Node> items, List<FunctionSpec> functions) {
        Topics tributary = Topics.defaults();
        for (int i = 0; i < functions.size(); i++) {
            FunctionSpec f = functions.get(i);
            for (String own : List.of(tributary.models(), tributary.deadLetters())) {
                if (f.trigger().matches(own)) {
                    problem(
                            line(items.get(i), "trigger"),
                            "the trigger of function '" + f.name() + "' includes Tributary's " + "topic " + own
                                    + ": it holds no events");
                }
            }
            if (!f.kind().scores()) {
                continue;
            }
            for (FunctionSpec other : functions) {
                if (other.trigger().matches(f.output())) {
                    problem(
                            line(items.get(i), "output"),
                            "the output topic " + f.output() + " of function '" + f.name()
                                    + "' would trigger function '" + other.name() + "': predictions are not events");
                }
            }
        }
    }

    private static int line(Node item, String key) {
        Node n = item.map() == null ? null : item.map().get(key);
        return n == null ? item.line() : n.line();
    }

    private FunctionSpec function(Node item) {
        Map<String, Node> map = item.map();
        if (map == null) {
            problem(item.line(), "each function must be a mapping (name: ..., kind: ...)");
            return null;
        }
        int before = problems.size();
        unknownKeys(map, FUNCTION_KEYS, "of a function");
        String name = text(map, "name", null);
        if (name == null) {
            problem(item.line(), "the function has no name");
            name = "";
        } else if (!NAME.matcher(name).matches()) {
            problem(
                    map.get("name").line(),
                    "name '" + name + "' may only have letters, digits, '.', '_' and '-' (at most 100)");
        } else if (names.containsKey(name)) {
            problem(map.get("name").line(), "function name '" + name + "' is already used on line " + names.get(name));
        } else {
            names.put(name, map.get("name").line());
        }
        FunctionSpec.Kind kind = kind(map);
        boolean fromTable = map.get("trigger") != null
                && map.get("trigger").map() != null
                && map.get("trigger").map().containsKey("database");
        DatabaseTrigger database = fromTable ? database(map, name) : null;
        FunctionSpec.Trigger trigger =
                fromTable ? FunctionSpec.Trigger.topics(DatabaseTrigger.topic(name)) : trigger(map);
        String sinkTable = sink(map, fromTable, kind);
        List<String> models = models(map);
        String output = topic(map, "output", Topics.defaults().predictions());
        notFor(map, "output", !kind.scores(), "a train function (it publishes no predictions)");
        FunctionSpec.OutputFormat outputFormat = outputFormat(map);
        notFor(map, "outputFormat", !kind.scores(), "a train function (it publishes no predictions)");
        Long batchSize = whole(map, "batchSize", null, 1, Long.MAX_VALUE);
        notFor(map, "batchSize", !kind.trains(), "a score function (it does not train)");
        Duration batchWindow = duration(map, "batchWindow", null, MIN_BATCH_WINDOW, null);
        notFor(map, "batchWindow", !kind.trains(), "a score function (it does not train)");
        Duration timeout = duration(map, "timeout", FunctionSpec.DEFAULT_TIMEOUT, Duration.ofMillis(1), MAX_TIMEOUT);
        int retries = whole(map, "retries", (long) FunctionSpec.DEFAULT_RETRIES, 0, MAX_RETRIES)
                .intValue();
        Duration backoff = duration(map, "backoff", FunctionSpec.DEFAULT_BACKOFF, Duration.ZERO, MAX_TIMEOUT);
        Duration maxBackoff = duration(map, "maxBackoff", FunctionSpec.DEFAULT_MAX_BACKOFF, Duration.ZERO, MAX_TIMEOUT);
        if (maxBackoff.compareTo(backoff) < 0) {
            problem(
                    line(item, "maxBackoff"),
                    "maxBackoff (" + Quantities.format(maxBackoff) + ") must be at least backoff ("
                            + Quantities.format(backoff) + ")");
        }
        long memory = bytes(map, "memory", FunctionSpec.DEFAULT_MEMORY_BYTES);
        int threads = whole(map, "threads", 1L, 1, MAX_THREADS).intValue();
        String applicationId = text(map, "applicationId", FunctionSpec.defaultApplicationId(name));
        if (map.containsKey("applicationId") && !NAME.matcher(applicationId).matches()) {
            problem(
                    map.get("applicationId").line(),
                    "applicationId '" + applicationId
                            + "' may only have letters, digits, '.', '_' and '-' (at most 100)");
        }
        Integer idSeen = applicationIds.putIfAbsent(applicationId, line(item, "applicationId"));
        if (idSeen != null
                && map.containsKey("applicationId")) { // a repeated name's default id was reported with the name
            problem(
                    line(item, "applicationId"),
                    "applicationId '" + applicationId + "' is already used on line " + idSeen
                            + ": each function needs its own");
        }
        if (problems.size() > before) {
            return null;
        }
        if (database != null) {
            databases.put(
                    name,
                    new DatabaseTrigger(
                            database.url(),
                            database.user(),
                            database.passwordEnv(),
                            database.table(),
                            database.model(),
                            database.modelColumn(),
                            database.label(),
                            database.startFrom(),
                            sinkTable));
        }
        return new FunctionSpec(
                name,
                kind,
                trigger,
                models,
                output,
                batchSize,
                batchWindow,
                timeout,
                retries,
                backoff,
                maxBackoff,
                memory,
                threads,
                applicationId,
                outputFormat);
    }

    private void unknownKeys(Map<String, Node> map, Set<String> known, String where) {
        map.forEach((key, value) -> {
            if (!known.contains(key)) {
                problem(
                        value.line(),
                        "unknown key '" + key + "' " + where + " (known: "
                                + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    private void notFor(Map<String, Node> map, String key, boolean refused, String what) {
        if (refused && map.containsKey(key)) {
            problem(map.get(key).line(), key + " does not apply to " + what);
        }
    }

    private FunctionSpec.Kind kind(Map<String, Node> map) {
        String kind = text(map, "kind", "both");
        try {
            return FunctionSpec.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(map.get("kind").line(), "kind must be score, train or both, got '" + kind + "'");
            return FunctionSpec.Kind.BOTH;
        }
    }

    private FunctionSpec.OutputFormat outputFormat(Map<String, Node> map) {
        String format = text(map, "outputFormat", "avro");
        try {
            return FunctionSpec.OutputFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(map.get("outputFormat").line(), "outputFormat must be avro or json, got '" + format + "'");
            return FunctionSpec.OutputFormat.AVRO;
        }
    }

    private FunctionSpec.Trigger trigger(Map<String, Node> map) {
        FunctionSpec.Trigger standard =
                FunctionSpec.Trigger.topics(Topics.defaults().events());
        Node node = map.get("trigger");
        if (node == null) {
            return standard;
        }
        Map<String, Node> trigger = node.map();
        if (trigger == null) {
            problem(node.line(), "trigger must be a mapping with topics: [...] or pattern: \"...\"");
            return standard;
        }
        unknownKeys(trigger, TRIGGER_KEYS, "of a trigger");
        if (trigger.containsKey("topics") == trigger.containsKey("pattern")) {
            problem(
                    node.line(),
                    trigger.isEmpty() || !trigger.containsKey("topics")
                            ? "trigger needs topics: [...] or pattern: \"...\""
                            : "trigger has both topics and pattern: give one");
            return standard;
        }
        if (trigger.containsKey("pattern")) {
            String regex = text(trigger, "pattern", "");
            try {
                return new FunctionSpec.Trigger(null, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                problem(
                        trigger.get("pattern").line(),
                        "pattern '" + regex + "' is not a regular expression: " + e.getDescription());
                return standard;
            }
        }
        List<String> topics = texts(trigger, "topics");
        for (String topic : topics) {
            validTopic(trigger.get("topics").line(), "topics", topic);
        }
        return topics.isEmpty() ? standard : new FunctionSpec.Trigger(topics, null);
    }

    /** {@code trigger: database:}, or null when it has problems (reported). */
    private DatabaseTrigger database(Map<String, Node> map, String function) {
        Node node = map.get("trigger");
        Map<String, Node> trigger = node.map();
        Node databaseNode = trigger.get("database");
        if (trigger.containsKey("topics") || trigger.containsKey("pattern")) {
            problem(
                    node.line(),
                    "trigger has database and " + (trigger.containsKey("topics") ? "topics" : "pattern")
                            + ": give one (a table's changes go through the topic " + DatabaseTrigger.topic(function)
                            + ")");
            return null;
        }
        Map<String, Node> db = databaseNode.map();
        if (db == null) {
            problem(
                    databaseNode.line(),
                    "database must be a mapping with url:, user:, table: and model: (or modelColumn:)");
            return null;
        }
        int before = problems.size();
        if (db.containsKey("password")) {
            problem(
                    db.get("password").line(),
                    "a password never goes in the file: put it in an environment variable and "
                            + "name that with passwordEnv:");
            db.remove("password");
        }
        unknownKeys(db, DATABASE_KEYS, "of a database trigger");
        String url = required(db, databaseNode, "url", "jdbc:postgresql://127.0.0.1:5432/DATABASE");
        if (url != null && !url.matches("jdbc:postgresql://[^/]+/[^/?]+(\\?.*)?")) {
            problem(db.get("url").line(), "url must be jdbc:postgresql://HOST:PORT/DATABASE, got '" + url + "'");
        }
        String user = required(db, databaseNode, "user", "a role with the REPLICATION attribute");
        String passwordEnv = text(db, "passwordEnv", null);
        if (passwordEnv != null && !ENV.matcher(passwordEnv).matches()) {
            problem(
                    db.get("passwordEnv").line(),
                    "passwordEnv must name an environment variable (letters, digits, '_'), got '" + passwordEnv + "'");
        }
        String table = required(db, databaseNode, "table", "public.TABLE");
        if (table != null && !TABLE.matcher(table).matches()) {
            problem(
                    db.get("table").line(),
                    "table must be TABLE or SCHEMA.TABLE in lower case letters, digits and '_', got '" + table + "'");
        } else if (table != null && !table.contains(".")) {
            table = "public." + table;
        }
        String model = text(db, "model", null);
        String modelColumn = column(db, "modelColumn");
        if ((model == null) == (modelColumn == null)) {
            problem(
                    databaseNode.line(),
                    model == null
                            ? "database needs model: (the model of every row) or modelColumn: "
                                    + "(a column naming each row's model)"
                            : "database has both model and modelColumn: give one");
        }
        String label = column(db, "label");
        String startFrom = text(db, "startFrom", "snapshot");
        DatabaseTrigger.StartFrom start = DatabaseTrigger.StartFrom.SNAPSHOT;
        try {
            start = DatabaseTrigger.StartFrom.valueOf(startFrom.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(
                    db.get("startFrom").line(),
                    "startFrom must be snapshot (the rows already there first) or latest, got '" + startFrom + "'");
        }
        return problems.size() > before
                ? null
                : new DatabaseTrigger(url, user, passwordEnv, table, model, modelColumn, label, start, null);
    }

    /** {@code sink: database: table:}, or null without a sink. */
    private String sink(Map<String, Node> map, boolean databaseTrigger, FunctionSpec.Kind kind) {
        Node node = map.get("sink");
        if (node == null) {
            return null;
        }
        Map<String, Node> sink = node.map();
        if (sink == null
                || !(sink.get("database") != null && sink.get("database").map() != null)) {
            problem(node.line(), "sink must be a mapping: database: { table: SCHEMA.TABLE }");
            return null;
        }
        unknownKeys(sink, Set.of("database"), "of a sink");
        Node databaseNode = sink.get("database");
        unknownKeys(databaseNode.map(), Set.of("table"), "of a database sink");
        String table = required(databaseNode.map(), databaseNode, "table", "public.TABLE");
        if (table != null && !TABLE.matcher(table).matches()) {
            problem(
                    databaseNode.map().get("table").line(),
                    "table must be TABLE or SCHEMA.TABLE in lower case letters, " + "digits and '_', got '" + table
                            + "'");
            return null;
        }
        if (!databaseTrigger) {
            problem(node.line(), "sink: database needs trigger: database: (the sink writes to the trigger's database)");
        } else if (!kind.scores()) {
            problem(node.line(), "sink does not apply to a train function (it publishes no predictions)");
        }
        return table == null ? null : table.contains(".") ? table : "public." + table;
    }

    private String required(Map<String, Node> map, Node parent, String key, String example) {
        String value = text(map, key, null);
        if (value == null || value.isBlank()) {
            problem(
                    map.containsKey(key) ? map.get(key).line() : parent.line(),
                    "database needs " + key + ": (for example " + example + ")");
            return null;
        }
        return value;
    }

    private String column(Map<String, Node> map, String key) {
        String value = text(map, key, null);
        if (value != null && !COLUMN.matcher(value).matches()) {
            problem(
                    map.get(key).line(),
                    key + " must be a column name in lower case letters, digits and '_', got '" + value + "'");
            return null;
        }
        return value;
    }

    private List<String> models(Map<String, Node> map) {
        if (!map.containsKey("models")) {
            return List.of();
        }
        List<String> models = texts(map, "models");
        if (models.size() != Set.copyOf(models).size()) {
            problem(map.get("models").line(), "models lists a model twice: " + models);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(models));
    }

    // ---- scalars ----

    /** A scalar's text, or {@code otherwise} when the key is absent. */
    private String text(Map<String, Node> map, String key, String otherwise) {
        Node node = map.get(key);
        if (node == null) {
            return otherwise;
        }
        if (!node.scalar()) {
            problem(
                    node.line(),
                    key + " must be a single value, got "
                            + (node.value() == null ? "nothing" : "a " + (node.map() != null ? "mapping" : "list")));
            return otherwise == null ? "" : otherwise;
        }
        return (String) node.value();
    }

    /** A list of scalars (a single scalar is a list of one); at least one. */
    private List<String> texts(Map<String, Node> map, String key) {
        Node node = map.get(key);
        List<String> values = new ArrayList<>();
        if (node.scalar()) {
            values.add((String) node.value());
        } else if (node.list() != null) {
            for (Node item : node.list()) {
                if (item.scalar()) {
                    values.add((String) item.value());
                } else {
                    problem(item.line(), key + " must be a list of names");
                }
            }
        }
        if (values.isEmpty()) {
            problem(
                    node.line(),
                    key + " must name at least one"
                            + (key.equals("models") ? " model (leave it out to serve every model)" : " topic"));
        }
        return values;
    }

    private String topic(Map<String, Node> map, String key, String otherwise) {
        String topic = text(map, key, otherwise);
        if (map.containsKey(key)) {
            validTopic(map.get(key).line(), key, topic);
        }
        return topic;
    }

    private void validTopic(int line, String what, String topic) {
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            problem(line, what + ": " + e.getMessage());
        }
    }

    private Long whole(Map<String, Node> map, String key, Long otherwise, long min, long max) {
        String text = text(map, key, null);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            problem(map.get(key).line(), key + " must be a whole number, got '" + text + "'");
            return otherwise;
        }
        if (value < min) {
            problem(map.get(key).line(), key + " must be at least " + min + ", got " + value);
        } else if (value > max) {
            problem(map.get(key).line(), key + " must be at most " + max + ", got " + value);
        }
        return value;
    }

    private Duration duration(Map<String, Node> map, String key, Duration otherwise, Duration min, Duration max) {
        String text = text(map, key, null);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        int line = map.get(key).line();
        Duration value;
        try {
            value = Quantities.duration(text);
        } catch (IllegalArgumentException e) {
            problem(line, key + " must be " + e.getMessage() + ", got '" + text + "'");
            return otherwise;
        }
        if (value.compareTo(min) < 0) {
            problem(line, key + " must be at least " + Quantities.format(min) + ", got " + text);
        } else if (max != null && value.compareTo(max) > 0) {
            problem(line, key + " must be at most " + Quantities.format(max) + ", got " + text);
        }
        return value;
    }

    private long bytes(Map<String, Node> map, String key, long otherwise) {
        String text = text(map, key, null);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        int line = map.get(key).line();
        try {
            long value = Quantities.bytes(text);
            if (value < MIN_MEMORY_BYTES) {
                problem(line, key + " must be at least " + Quantities.formatBytes(MIN_MEMORY_BYTES) + ", got " + text);
            }
            return value;
        } catch (IllegalArgumentException e) {
            problem(line, key + " must be " + e.getMessage() + ", got '" + text + "'");
            return otherwise;
        }
    }
}
