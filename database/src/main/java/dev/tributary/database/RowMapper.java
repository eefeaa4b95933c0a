package dev.tributary.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.database.PgOutput.Change;
import dev.tributary.functions.spec.DatabaseTrigger;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one row change means for a function: an INSERT is an event (its id the primary key as text,
 * its features the columns the model declares, its label the label column if set); an UPDATE of a
 * feature column scores the row again; an UPDATE that only sets the label is feedback for that id;
 * a DELETE, or an UPDATE that touches neither, is ignored. A row that cannot be used is a dead letter
 * naming the table, the key and the reason.
 */
public final class RowMapper {
    /** The outcome for one change. */
    public sealed interface Outcome permits Emit, Feedback, DeadLetter, Ignored {}

    /** An event (JSON, the format {@code EventDecoder} reads) for the trigger topic. */
    public record Emit(String id, byte[] json) implements Outcome {}

    /** A label for an event scored before. */
    public record Feedback(String id, String model, double label) implements Outcome {}

    /** {@code errorClass} as the dead-letter topic names them ({@code BAD_FEATURES}, {@code BAD_LABEL}, ...). */
    public record DeadLetter(String key, String errorClass, String reason) implements Outcome {}

    /** Counted, not forwarded: {@code why} is {@code delete} or {@code unchanged}. */
    public record Ignored(String why) implements Outcome {}

    /** Makes the mapper once the table's primary key is known. */
    @FunctionalInterface
    public interface Factory {
        RowMapper create(List<String> keyColumns);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatabaseTrigger trigger;
    private final List<String> keyColumns;
    private final Function<String, ModelSpec> specs;

    /** @param specs the spec of a model by name, or null when the registry has no such model */
    public RowMapper(DatabaseTrigger trigger, List<String> keyColumns, Function<String, ModelSpec> specs) {
        this.trigger = trigger;
        this.keyColumns = List.copyOf(keyColumns);
        this.specs = specs;
    }

    public Outcome map(Change change) {
        Map<String, String> row = change.row();
        String key = key(row);
        if (change.operation() == PgOutput.Operation.DELETE) {
            return new Ignored("delete");
        }
        String model = trigger.model() != null ? trigger.model() : row.get(trigger.modelColumn());
        if (model == null || model.isEmpty()) {
            return dead(key, "UNKNOWN_MODEL", "the model column '" + trigger.modelColumn() + "' is NULL");
        }
        ModelSpec spec = specs.apply(model);
        if (spec == null) {
            return dead(key, "UNKNOWN_MODEL", "no model '" + model + "' in the registry");
        }
        if (change.operation() == PgOutput.Operation.UPDATE && !change.old().isEmpty()) {
            boolean scoredColumnsChanged =
                    !Objects.equals(change.old().get(trigger.modelColumn()), row.get(trigger.modelColumn()))
                            || spec.getFeatures().stream().anyMatch(f -> changed(change, f))
                            || spec.getCategoricalFeatures().stream().anyMatch(f -> changed(change, f));
            if (!scoredColumnsChanged) {
                if (trigger.label() == null || !changed(change, trigger.label()) || row.get(trigger.label()) == null) {
                    return new Ignored("unchanged");
                }
                Object label = label(spec, row.get(trigger.label()));
                return label instanceof String reason
                        ? dead(key, "BAD_LABEL", reason)
                        : new Feedback(key, model, (Double) label);
            }
        }
        return event(key, model, spec, row);
    }

    private Outcome event(String key, String model, ModelSpec spec, Map<String, String> row) {
        ObjectNode event = JSON.createObjectNode().put("id", key).put("model", model);
        ObjectNode features = event.putObject("features");
        for (String f : spec.getFeatures()) {
            if (!row.containsKey(f)) {
                return dead(
                        key,
                        "BAD_FEATURES",
                        "the table has no column '" + f + "' (a feature of model '" + model + "')");
            }
            String text = row.get(f);
            if (text == null) {
                return dead(key, "BAD_FEATURES", "feature column '" + f + "' is NULL");
            }
            try {
                double value = Double.parseDouble(text);
                if (!Double.isFinite(value)) {
                    return dead(key, "BAD_FEATURES", "feature column '" + f + "' is " + text);
                }
                features.put(f, value);
            } catch (NumberFormatException e) {
                return dead(key, "BAD_FEATURES", "feature column '" + f + "' is not a number: '" + text + "'");
            }
        }
        ObjectNode categories = event.putObject("categories");
        for (String c : spec.getCategoricalFeatures()) {
            if (row.get(c) != null) {
                categories.put(c, row.get(c));
            }
        }
        if (trigger.label() != null && row.get(trigger.label()) != null) {
            Object label = label(spec, row.get(trigger.label()));
            if (label instanceof String reason) {
                return dead(key, "BAD_LABEL", reason);
            }
            event.put("label", (Double) label);
        }
        return new Emit(key, event.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean changed(Change change, String column) {
        String now = change.row().get(column);
        return !PgOutput.UNCHANGED_TOAST.equals(now)
                && !Objects.equals(change.old().get(column), now);
    }

    /** The label as a number, or the reason it is not usable. */
    private Object label(ModelSpec spec, String text) {
        String column = trigger.label();
        double value;
        if (text.equals("t") || text.equals("f") || text.equals("true") || text.equals("false")) {
            value = text.startsWith("t") ? 1 : 0;
        } else {
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return "label column '" + column + "' is not a number: '" + text + "'";
            }
        }
        boolean classifier = spec.getAlgorithm() != Algorithm.LINEAR_REGRESSION;
        if (classifier && value != 0 && value != 1) {
            return "label column '" + column + "' is " + text + ": a classifier's label is 0 or 1";
        }
        if (!Double.isFinite(value)) {
            return "label column '" + column + "' is " + text;
        }
        return value;
    }

    private String key(Map<String, String> row) {
        if (keyColumns.size() == 1) {
            return String.valueOf(row.get(keyColumns.get(0)));
        }
        return String.join(
                ",", keyColumns.stream().map(c -> String.valueOf(row.get(c))).toList());
    }

    private DeadLetter dead(String key, String errorClass, String reason) {
        return new DeadLetter(key, errorClass, "table " + trigger.table() + ", key " + key + ": " + reason);
    }
}
