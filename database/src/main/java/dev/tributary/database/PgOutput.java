package dev.tributary.database;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes PostgreSQL's logical replication messages ({@code pgoutput}, protocol version 1) into
 * {@link Message}s: the transactions' bounds and the row changes of the published tables, with
 * column values as PostgreSQL's text output. Relation messages are remembered to name the
 * columns of the changes that follow; types, origins and logical messages are skipped.
 */
public final class PgOutput {
    /** One decoded message; {@code null} from {@link #decode} for the kinds that carry nothing needed here. */
    public sealed interface Message permits Begin, Commit, Change, Truncate {}

    /** A transaction starts; {@code commitLsn} is where it will commit (the position of all its changes). */
    public record Begin(long commitLsn, int xid) implements Message {}

    public record Commit(long commitLsn, long endLsn) implements Message {}

    /** The kinds of row change. */
    public enum Operation {
        INSERT,
        UPDATE,
        DELETE
    }

    /**
     * A row change of {@code table} (schema-qualified). {@code row} is the new row (the old one for a
     * DELETE); {@code old} the row before an UPDATE or DELETE when the table's replica identity sends it
     * (FULL: every column), else empty. A value is null for SQL NULL; {@link #UNCHANGED_TOAST} stands for
     * a large value the UPDATE did not touch.
     */
    public record Change(Operation operation, String table, Map<String, String> row, Map<String, String> old)
            implements Message {}

    /** A TRUNCATE of the published tables: counted and ignored like a DELETE. */
    public record Truncate(int tables) implements Message {}

    public static final String UNCHANGED_TOAST = "\u0000unchanged-toast";

    private record Relation(String table, List<String> columns) {}

    private final Map<Integer, Relation> relations = new HashMap<>();

    public Message decode(ByteBuffer buffer) {
        byte kind = buffer.get();
        switch (kind) {
            case 'B': {
                long lsn = buffer.getLong();
                buffer.getLong(); // commit time
                return new Begin(lsn, buffer.getInt());
            }
            case 'C': {
                buffer.get(); // flags
                long commitLsn = buffer.getLong();
                return new Commit(commitLsn, buffer.getLong());
            }
            case 'R':
                relation(buffer);
                return null;
            case 'I': {
                Relation r = relation(buffer.getInt());
                expect(buffer.get(), 'N');
                return new Change(Operation.INSERT, r.table(), tuple(buffer, r), Map.of());
            }
            case 'U': {
                Relation r = relation(buffer.getInt());
                byte next = buffer.get();
                Map<String, String> old = Map.of();
                if (next == 'K' || next == 'O') {
                    old = tuple(buffer, r);
                    next = buffer.get();
                }
                expect(next, 'N');
                return new Change(Operation.UPDATE, r.table(), tuple(buffer, r), old);
            }
            case 'D': {
                Relation r = relation(buffer.getInt());
                buffer.get(); // 'K' or 'O'
                Map<String, String> old = tuple(buffer, r);
                return new Change(Operation.DELETE, r.table(), old, old);
            }
            case 'T': {
                int tables = buffer.getInt();
                return new Truncate(tables);
            }
            default:
                return null; // 'Y' type, 'O' origin, 'M' logical message
        }
    }

    private void relation(ByteBuffer buffer) {
        int oid = buffer.getInt();
        String namespace = string(buffer);
        String name = string(buffer);
        buffer.get(); // replica identity setting
        int count = buffer.getShort();
        List<String> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buffer.get(); // flags: part of the key
            columns.add(string(buffer));
            buffer.getInt(); // type oid
            buffer.getInt(); // type modifier
        }
        relations.put(oid, new Relation(namespace + "." + name, Collections.unmodifiableList(columns)));
    }

    private Relation relation(int oid) {
        Relation r = relations.get(oid);
        if (r == null) {
            throw new IllegalStateException("a change of relation " + oid + " came before its description");
        }
        return r;
    }

    private static Map<String, String> tuple(ByteBuffer buffer, Relation r) {
        int count = buffer.getShort();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String column = i < r.columns().size() ? r.columns().get(i) : "column" + (i + 1);
            byte kind = buffer.get();
            switch (kind) {
                case 'n' -> values.put(column, null);
                case 'u' -> values.put(column, UNCHANGED_TOAST);
                case 't' -> {
                    byte[] text = new byte[buffer.getInt()];
                    buffer.get(text);
                    values.put(column, new String(text, StandardCharsets.UTF_8));
                }
                default -> throw new IllegalStateException("unknown column kind '" + (char) kind + "' in pgoutput");
            }
        }
        return values;
    }

    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        while (buffer.get() != 0) {
            // up to the terminating zero
        }
        byte[] bytes = new byte[buffer.position() - start - 1];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void expect(byte actual, char expected) {
        if (actual != expected) {
            throw new IllegalStateException("pgoutput: expected '" + expected + "', got '" + (char) actual + "'");
        }
    }
}
