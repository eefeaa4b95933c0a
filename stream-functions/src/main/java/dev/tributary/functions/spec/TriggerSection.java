package dev.tributary.functions.spec;

import dev.tributary.schema.Topics;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A function's {@code trigger:}: named topics, a pattern, or a table ({@link DatabaseSection}).
 * Without one, the events topic triggers the function.
 */
final class TriggerSection {
    static final Set<String> KEYS = Set.of("topics", "pattern", "database");

    private TriggerSection() {}

    /** Whether the rows of a table trigger the function ({@code trigger: database:}). */
    static boolean fromTable(Section function) {
        Section trigger = function.section("trigger");
        return trigger != null && trigger.has("database");
    }

    /** {@code trigger: topics:} or {@code pattern:}; the events topic when absent or wrong (reported). */
    static FunctionSpec.Trigger read(Section function) {
        FunctionSpec.Trigger standard =
                FunctionSpec.Trigger.topics(Topics.defaults().events());
        if (!function.has("trigger")) {
            return standard;
        }
        Section trigger = function.section("trigger");
        if (trigger == null) {
            function.problem(
                    function.line("trigger"), "trigger must be a mapping with topics: [...] or pattern: \"...\"");
            return standard;
        }
        trigger.unknownKeys(KEYS, "of a trigger");
        if (trigger.has("topics") == trigger.has("pattern")) {
            trigger.problem(
                    trigger.line(),
                    trigger.isEmpty() || !trigger.has("topics")
                            ? "trigger needs topics: [...] or pattern: \"...\""
                            : "trigger has both topics and pattern: give one");
            return standard;
        }
        if (trigger.has("pattern")) {
            String regex = trigger.text("pattern", "");
            try {
                return new FunctionSpec.Trigger(null, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                trigger.problem(
                        trigger.line("pattern"),
                        "pattern '" + regex + "' is not a regular expression: " + e.getDescription());
                return standard;
            }
        }
        List<String> topics = trigger.texts("topics");
        for (String topic : topics) {
            trigger.validTopic(trigger.line("topics"), "topics", topic);
        }
        return topics.isEmpty() ? standard : new FunctionSpec.Trigger(topics, null);
    }
}
