package dev.tributary.functions.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a function file as a tree of {@link Node}s, each with its line, so that every later
 * problem can say where it is. A key given twice in one mapping is a problem (the first one counts).
 */
final class YamlTree {
    private final Problems problems;

    private YamlTree(Problems problems) {
        this.problems = problems;
    }

    /** The root node, or null when the text is empty or not YAML (reported). */
    static Node parse(String yaml, Problems problems) {
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() == null) {
                problems.add(1, "the file is empty: it needs a 'functions:' list");
                return null;
            }
            return new YamlTree(problems)
                    .node(parser, parser.currentTokenLocation().getLineNr());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            problems.add(line, "not valid YAML: " + yamlProblem(e));
            return null;
        } catch (IOException e) {
            problems.add(1, "cannot be read: " + e.getMessage());
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
                    problems.add(keyLine, "duplicate key '" + key + "' (first on line " + first.line() + ")");
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
}
