package dev.tributary.functions.spec;

import dev.tributary.schema.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One function of a function file: each of its keys read and checked against its limits, with the
 * defaults of {@link FunctionSpec} for those it leaves out. One instance reads all the
 * functions of a file, as each needs a name and an application id of its own.
 */
final class FunctionSection {
    static final Set<String> KEYS = Set.of(
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
    static final int MAX_RETRIES = 10;
    static final int MAX_THREADS = 64;
    /** Well under Kafka's max.poll.interval.ms (5 min): the stream thread waits this long at most per event. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

    static final Duration MIN_BATCH_WINDOW = Duration.ofMillis(100);
    static final long MIN_MEMORY_BYTES = 16L << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final String NOT_FOR_TRAIN = "a train function (it publishes no predictions)";
    private static final String NOT_FOR_SCORE = "a score function (it does not train)";

    /** A function as read: its spec, and its table when one triggers it. */
    record Read(FunctionSpec spec, DatabaseTrigger database) {}

    private final Problems problems;
    /** Function names and application ids seen so far, with their lines: each function needs its own. */
    private final Map<String, Integer> names = new HashMap<>();

    private final Map<String, Integer> applicationIds = new HashMap<>();

    FunctionSection(Problems problems) {
        this.problems = problems;
    }

    /** The function of {@code item}, or null when it has problems (reported). */
    Read read(Node item) {
        if (item.map() == null) {
            problems.add(item.line(), "each function must be a mapping (name: ..., kind: ...)");
            return null;
        }
        Section f = new Section(item, problems);
        int before = problems.count();
        f.unknownKeys(KEYS, "of a function");
        String name = name(f);
        FunctionSpec.Kind kind = f.choice("kind", FunctionSpec.Kind.BOTH, "score, train or both");
        boolean fromTable = TriggerSection.fromTable(f);
        DatabaseTrigger database = fromTable ? DatabaseSection.trigger(f, name) : null;
        FunctionSpec.Trigger trigger =
                fromTable ? FunctionSpec.Trigger.topics(DatabaseTrigger.topic(name)) : TriggerSection.read(f);
        String sinkTable = DatabaseSection.sink(f, fromTable, kind);
        Duration backoff = f.duration("backoff", FunctionSpec.DEFAULT_BACKOFF, Duration.ZERO, MAX_TIMEOUT);
        Duration maxBackoff = f.duration("maxBackoff", FunctionSpec.DEFAULT_MAX_BACKOFF, Duration.ZERO, MAX_TIMEOUT);
        if (maxBackoff.compareTo(backoff) < 0) {
            f.problem(
                    f.line("maxBackoff"),
                    "maxBackoff (" + Quantities.format(maxBackoff) + ") must be at least backoff ("
                            + Quantities.format(backoff) + ")");
        }
        FunctionSpec spec = new FunctionSpec(
                name,
                kind,
                trigger,
                models(f),
                f.topic("output", Topics.defaults().predictions()),
                f.whole("batchSize", null, 1, Long.MAX_VALUE),
                f.duration("batchWindow", null, MIN_BATCH_WINDOW, null),
                f.duration("timeout", FunctionSpec.DEFAULT_TIMEOUT, Duration.ofMillis(1), MAX_TIMEOUT),
                f.whole("retries", (long) FunctionSpec.DEFAULT_RETRIES, 0, MAX_RETRIES)
                        .intValue(),
                backoff,
                maxBackoff,
                f.bytes("memory", FunctionSpec.DEFAULT_MEMORY_BYTES, MIN_MEMORY_BYTES),
                f.whole("threads", 1L, 1, MAX_THREADS).intValue(),
                applicationId(f, name),
                f.choice("outputFormat", FunctionSpec.OutputFormat.AVRO, "avro or json"));
        f.notFor("output", !kind.scores(), NOT_FOR_TRAIN);
        f.notFor("outputFormat", !kind.scores(), NOT_FOR_TRAIN);
        f.notFor("batchSize", !kind.trains(), NOT_FOR_SCORE);
        f.notFor("batchWindow", !kind.trains(), NOT_FOR_SCORE);
        if (problems.count() > before) {
            return null;
        }
        return new Read(spec, database == null ? null : database.withSinkTable(sinkTable));
    }

    /** {@code name:}, which must be unique in the file; "" when missing. */
    private String name(Section f) {
        String name = f.text("name", null);
        if (name == null) {
            f.problem(f.line(), "the function has no name");
            return "";
        }
        if (!NAME.matcher(name).matches()) {
            f.problem(
                    f.line("name"),
                    "name '" + name + "' may only have letters, digits, '.', '_' and '-' (at most 100)");
        } else if (names.containsKey(name)) {
            f.problem(f.line("name"), "function name '" + name + "' is already used on line " + names.get(name));
        } else {
            names.put(name, f.line("name"));
        }
        return name;
    }

    private static List<String> models(Section f) {
        if (!f.has("models")) {
            return List.of();
        }
        List<String> models = f.texts("models");
        if (models.size() != Set.copyOf(models).size()) {
            f.problem(f.line("models"), "models lists a model twice: " + models);
        }
        return List.copyOf(new LinkedHashSet<>(models));
    }

    /** {@code applicationId:}, which must be unique in the file; by default from the name. */
    private String applicationId(Section f, String name) {
        String applicationId = f.text("applicationId", FunctionSpec.defaultApplicationId(name));
        if (f.has("applicationId") && !NAME.matcher(applicationId).matches()) {
            f.problem(
                    f.line("applicationId"),
                    "applicationId '" + applicationId
                            + "' may only have letters, digits, '.', '_' and '-' (at most 100)");
        }
        Integer seen = applicationIds.putIfAbsent(applicationId, f.line("applicationId"));
        if (seen != null && f.has("applicationId")) { // a repeated name's default id was reported with the name
            f.problem(
                    f.line("applicationId"),
                    "applicationId '" + applicationId + "' is already used on line " + seen
                            + ": each function needs its own");
        }
        return applicationId;
    }
}
