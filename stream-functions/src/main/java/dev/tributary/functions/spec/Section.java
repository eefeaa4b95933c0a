package dev.tributary.functions.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * One mapping of a function file (the file, a function, a trigger, a database) whose keys are read
 * as the values they must be. A wrong value is reported on its line and read as the key's default,
 * so that reading goes on and finds every problem of the file.
 */
final class Section {
    private final Node node;
    private final Map<String, Node> map;
    private final Problems problems;

    /** @param node a mapping */
    Section(Node node, Problems problems) {
        this.node = node;
        this.map = node.map();
        this.problems = problems;
    }

    /** The line of the mapping (for a mapping's value: the line of its key). */
    int line() {
        return node.line();
    }

    /** The line of {@code key}, or the mapping's own when it has no such key. */
    int line(String key) {
        return node.lineOf(key);
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    Node get(String key) {
        return map.get(key);
    }

    /** The mapping under {@code key}, or null when there is none there. */
    Section section(String key) {
        Node value = map.get(key);
        return value == null || value.map() == null ? null : new Section(value, problems);
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    /** How many problems the file has so far: a part of it is usable when reading it added none. */
    int problemCount() {
        return problems.count();
    }

    void problem(int line, String message) {
        problems.add(line, message);
    }

    /** Reports {@code key} as a problem and reads on without it. */
    void refuse(String key, String message) {
        problem(line(key), message);
        map.remove(key);
    }

    void unknownKeys(Set<String> known, String where) {
        map.forEach((key, value) -> {
            if (!known.contains(key)) {
                problem(
                        value.line(),
                        "unknown key '" + key + "' " + where + " (known: "
                                + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    /** Reports {@code key} when it is given though {@code refused}: it does not apply to {@code what}. */
    void notFor(String key, boolean refused, String what) {
        if (refused && map.containsKey(key)) {
            problem(line(key), key + " does not apply to " + what);
        }
    }

    /** A scalar's text, or {@code otherwise} when the key is absent. */
    String text(String key, String otherwise) {
        Node value = map.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!value.scalar()) {
            problem(
                    value.line(),
                    key + " must be a single value, got "
                            + (value.value() == null ? "nothing" : "a " + (value.map() != null ? "mapping" : "list")));
            return otherwise == null ? "" : otherwise;
        }
        return (String) value.value();
    }

    /** A list of scalars (a single scalar is a list of one) of a key that is given; at least one. */
    List<String> texts(String key) {
        Node value = map.get(key);
        List<String> values = new ArrayList<>();
        if (value.scalar()) {
            values.add((String) value.value());
        } else if (value.list() != null) {
            for (Node item : value.list()) {
                if (item.scalar()) {
                    values.add((String) item.value());
                } else {
                    problem(item.line(), key + " must be a list of names");
                }
            }
        }
        if (values.isEmpty()) {
            problem(
                    value.line(),
                    key + " must name at least one"
                            + (key.equals("models") ? " model (leave it out to serve every model)" : " topic"));
        }
        return values;
    }

    /** One of {@code otherwise}'s constants, written in lower case; {@code expected} names them for the problem. */
    <E extends Enum<E>> E choice(String key, E otherwise, String expected) {
        String text = text(key, otherwise.name().toLowerCase(Locale.ROOT));
        try {
            return Enum.valueOf(otherwise.getDeclaringClass(), text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(line(key), key + " must be " + expected + ", got '" + text + "'");
            return otherwise;
        }
    }

    String topic(String key, String otherwise) {
        String topic = text(key, otherwise);
        if (map.containsKey(key)) {
            validTopic(line(key), key, topic);
        }
        return topic;
    }

    void validTopic(int line, String what, String topic) {
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            problem(line, what + ": " + e.getMessage());
        }
    }

    Long whole(String key, Long otherwise, long min, long max) {
        Long value = parsed(key, Section::wholeNumber);
        return value == null ? otherwise : within(key, value, min, max, v -> Long.toString(v), Long.toString(value));
    }

    /** @param max null: no upper bound */
    Duration duration(String key, Duration otherwise, Duration min, Duration max) {
        Duration value = parsed(key, Quantities::duration);
        return value == null ? otherwise : within(key, value, min, max, Quantities::format, text(key, null));
    }

    long bytes(String key, long otherwise, long min) {
        Long value = parsed(key, Quantities::bytes);
        return value == null ? otherwise : within(key, value, min, null, Quantities::formatBytes, text(key, null));
    }

    /**
     * The key's text as {@code parser} reads it; null when the key is absent or empty, or when its
     * text cannot be read (reported: {@code KEY must be WHAT, got 'TEXT'}, WHAT being the parser's
     * exception's message).
     */
    private <T> T parsed(String key, Function<String, T> parser) {
        String text = text(key, null);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(line(key), key + " must be " + e.getMessage() + ", got '" + text + "'");
            return null;
        }
    }

    private static long wholeNumber(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a whole number", e);
        }
    }

    /**
     * {@code value}, reported when it is below {@code min} or above {@code max} (null: no upper bound).
     *
     * @param format how the bounds are written in the problem
     * @param given how the value was written
     */
    private <T extends Comparable<T>> T within(
            String key, T value, T min, T max, Function<T, String> format, String given) {
        if (value.compareTo(min) < 0) {
            problem(line(key), key + " must be at least " + format.apply(min) + ", got " + given);
        } else if (max != null && value.compareTo(max) > 0) {
            problem(line(key), key + " must be at most " + format.apply(max) + ", got " + given);
        }
        return value;
    }
}
