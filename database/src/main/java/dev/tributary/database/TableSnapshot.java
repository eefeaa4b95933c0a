package dev.tributary.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rows of a table as a replication slot's exported snapshot sees them, so that the rows read
 * here and the changes the slot sends afterwards neither overlap nor leave a gap.
 */
final class TableSnapshot {
    private TableSnapshot() {}

    /** Gives every row of {@code table} (column → value as text, NULL as null) to {@code rows}. */
    static void read(Connection sql, String table, String snapshotName, Consumer<Map<String, String>> rows)
            throws SQLException {
        sql.setAutoCommit(false);
        try (Statement s = sql.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), rs.getString(i));
                    }
                    rows.accept(row);
                }
            }
        } finally {
            sql.commit();
            sql.setAutoCommit(true);
        }
    }
}
