package dev.tributary.database;

import dev.tributary.functions.spec.DatabaseTrigger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.postgresql.PGProperty;

/**
 * The PostgreSQL side of a database trigger: connections (plain and replication), and the checks and
 * set-up done once at start, each failing with one sentence that says what to set: the server
 * reachable, {@code wal_level=logical}, a role with REPLICATION, the table with a primary key and
 * replica identity FULL (an UPDATE must carry the row before it, to tell a label set from a feature
 * changed), and the function's publication.
 */
public final class Postgres {
    private final DatabaseTrigger trigger;
    private final String password;
    private final String name;

    /**
     * @param env the environment ({@code System::getenv}), where {@code passwordEnv} is looked up
     * @param function the function's name, which names its publication and replication slot
     */
    public Postgres(DatabaseTrigger trigger, UnaryOperator<String> env, String function) {
        this.trigger = trigger;
        this.password = trigger.passwordEnv() == null ? null : env.apply(trigger.passwordEnv());
        if (trigger.passwordEnv() != null && password == null) {
            throw new DatabaseException(
                    "the environment variable " + trigger.passwordEnv() + " (passwordEnv of function '" + function
                            + "') is not set: export it with the password of " + trigger.user());
        }
        this.name = "tributary_" + function.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** The replication slot and the publication of this function. */
    public String slot() {
        return name;
    }

    public String table() {
        return trigger.table();
    }

    public Connection connect() {
        return open(false);
    }

    public Connection replication() {
        return open(true);
    }

    private Connection open(boolean replication) {
        Properties props = new Properties();
        PGProperty.USER.set(props, trigger.user());
        if (password != null) {
            PGProperty.PASSWORD.set(props, password);
        }
        PGProperty.CONNECT_TIMEOUT.set(props, 10);
        PGProperty.APPLICATION_NAME.set(props, name);
        if (replication) {
            PGProperty.REPLICATION.set(props, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
            PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        }
        try {
            return DriverManager.getConnection(trigger.url(), props);
        } catch (SQLException e) {
            throw new DatabaseException(
                    "cannot connect to " + trigger.url() + " as " + trigger.user() + " (" + firstLine(e)
                            + "): check that PostgreSQL runs and listens there, and the role and password"
                            + (trigger.passwordEnv() == null ? " (passwordEnv)" : " in " + trigger.passwordEnv()),
                    e);
        }
    }

    /** Checks the server and the table, sets replica identity and the publication up; the primary key's columns. */
    public List<String> prepare(Connection c) {
        try {
            String walLevel = single(c, "SHOW wal_level");
            if (!"logical".equals(walLevel)) {
                throw new DatabaseException(
                        "PostgreSQL at " + trigger.url() + " has wal_level=" + walLevel + ", and change "
                                + "capture needs logical: set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level = "
                                + "logical) and restart PostgreSQL");
            }
            if (!"t"
                    .equals(
                            single(
                                    c,
                                    "SELECT (rolreplication OR rolsuper)::text::char FROM pg_roles WHERE rolname = current_user"))) {
                throw new DatabaseException("role " + trigger.user() + " may not replicate: run ALTER ROLE "
                        + trigger.user() + " REPLICATION as a superuser");
            }
            if (single(c, "SELECT to_regclass('" + trigger.table() + "')::text") == null) {
                throw new DatabaseException("table " + trigger.table() + " does not exist in " + trigger.url()
                        + ": create it, or correct table: in the function file");
            }
            List<String> key = primaryKey(c);
            if (key.isEmpty()) {
                throw new DatabaseException("table " + trigger.table()
                        + " has no primary key: add one, it is the id of each " + "row's event");
            }
            if (!"f"
                    .equals(single(
                            c,
                            "SELECT relreplident::text FROM pg_class WHERE oid = '" + trigger.table()
                                    + "'::regclass"))) {
                execute(
                        c,
                        "ALTER TABLE " + trigger.table() + " REPLICA IDENTITY FULL",
                        "run ALTER TABLE " + trigger.table()
                                + " REPLICA IDENTITY FULL as the table's owner (an UPDATE must carry the row before it)");
            }
            if (single(c, "SELECT pubname::text FROM pg_publication WHERE pubname = '" + name + "'") == null) {
                execute(
                        c,
                        "CREATE PUBLICATION " + name + " FOR TABLE " + trigger.table(),
                        "run CREATE PUBLICATION " + name + " FOR TABLE " + trigger.table() + " as the table's owner");
            }
            return key;
        } catch (SQLException e) {
            throw new DatabaseException(
                    "cannot read " + trigger.table() + "'s catalog at " + trigger.url() + ": " + firstLine(e), e);
        }
    }

    private List<String> primaryKey(Connection c) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary "
                + "ORDER BY array_position(i.indkey, a.attnum)")) {
            s.setString(1, trigger.table());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static void execute(Connection c, String sql, String whatToDo) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new DatabaseException(firstLine(e) + ": " + whatToDo, e);
        }
    }

    static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message).trim();
    }
}
