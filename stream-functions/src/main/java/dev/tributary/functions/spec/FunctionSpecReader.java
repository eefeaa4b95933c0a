package dev.tributary.functions.spec;

import dev.tributary.schema.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a function file ({@code functions.yaml}) and checks all of it: every problem is reported,
 * each with its line, before anything runs. The keys and their defaults are listed in
 * docs/operations.md; unknown keys are errors (a typo must not silently fall back to a default).
 *
 * <p>The text becomes a tree of nodes with lines ({@link YamlTree}); each function is read by
 * {@link FunctionSection}, its trigger by {@link TriggerSection} and its table by {@link
 * DatabaseSection}; last, the functions are checked against each other.
 */
public final class FunctionSpecReader {
    static final Set<String> FILE_KEYS = Set.of("functions");

    private FunctionSpecReader() {}

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
        Problems problems = new Problems();
        List<Node> items = items(YamlTree.parse(yaml, problems), problems);
        FunctionSection section = new FunctionSection(problems);
        List<FunctionSpec> functions = new ArrayList<>();
        List<Node> read = new ArrayList<>();
        Map<String, DatabaseTrigger> databases = new HashMap<>();
        for (Node item : items) {
            FunctionSection.Read f = section.read(item);
            if (f != null) {
                functions.add(f.spec());
                read.add(item);
                if (f.database() != null) {
                    databases.put(f.spec().name(), f.database());
                }
            }
        }
        checkTopics(read, functions, problems);
        problems.throwIfAny(source);
        return new FunctionSpecs(source, functions, databases);
    }

    /** The items of the file's {@code functions:} list; none when the file has no such list (reported). */
    private static List<Node> items(Node root, Problems problems) {
        if (root == null) {
            return List.of();
        }
        if (root.map() == null) {
            problems.add(root.line(), "the file must be a mapping with a 'functions:' list");
            return List.of();
        }
        new Section(root, problems).unknownKeys(FILE_KEYS, "at the top level");
        Node list = root.map().get("functions");
        if (list == null || list.list() == null || list.list().isEmpty()) {
            problems.add(list == null ? root.line() : list.line(), "'functions:' must list at least one function");
            return List.of();
        }
        return list.list();
    }

    /** Predictions must not trigger a function, nor may a trigger read Tributary's own registry or dead letters. */
    private static void checkTopics(List<Node> items, List<FunctionSpec> functions, Problems problems) {
        Topics tributary = Topics.defaults();
        for (int i = 0; i < functions.size(); i++) {
            FunctionSpec f = functions.get(i);
            for (String own : List.of(tributary.models(), tributary.deadLetters())) {
                if (f.trigger().matches(own)) {
                    problems.add(
                            items.get(i).lineOf("trigger"),
                            "the trigger of function '" + f.name() + "' includes Tributary's " + "topic " + own
                                    + ": it holds no events");
                }
            }
            if (!f.kind().scores()) {
                continue;
            }
            for (FunctionSpec other : functions) {
                if (other.trigger().matches(f.output())) {
                    problems.add(
                            items.get(i).lineOf("output"),
                            "the output topic " + f.output() + " of function '" + f.name()
                                    + "' would trigger function '" + other.name() + "': predictions are not events");
                }
            }
        }
    }
}
