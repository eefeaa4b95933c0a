package dev.tributary.functions.spec;

import java.util.List;
import java.util.Map;

/** A YAML value with the line it is on (for a mapping's value: the line of its key); see {@link YamlTree}. */
record Node(Object value, int line) {
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

    /** The line of {@code key}'s value when this is a mapping that has it, else this node's own line. */
    int lineOf(String key) {
        Node n = map() == null ? null : map().get(key);
        return n == null ? line : n.line();
    }
}
