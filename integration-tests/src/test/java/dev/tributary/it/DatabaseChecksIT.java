package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.database.DatabaseException;
import dev.tributary.database.Postgres;
import dev.tributary.functions.spec.DatabaseTrigger;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a database trigger says at start when PostgreSQL cannot be used, against a real server: one
 * sentence each, naming what to set.
 */
class DatabaseChecksIT {
    static TestPostgres postgres;

    @BeforeAll
    static void server() throws Exception {
        postgres = TestPostgres.start();
        try (Connection c = postgres.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keyless (sqft double precision)");
            s.execute("CREATE TABLE houses (id integer PRIMARY KEY, sqft double precision)");
        }
        try (Connection c = postgres.connect(TestPostgres.DATABASE, "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE plain LOGIN");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    static DatabaseTrigger trigger(String url, String user, String table) {
        return trigger(url, user, table, null);
    }

    static DatabaseTrigger trigger(String url, String user, String table, String passwordEnv) {
        return new DatabaseTrigger(
                url,
                user,
                passwordEnv,
                table,
                "houses",
                null,
                null,
                DatabaseTrigger.StartFrom.LATEST,
                null,
                DatabaseTrigger.Delivery.DEFAULTS);
    }

    static void prepare(DatabaseTrigger trigger) throws Exception {
        Postgres pg = new Postgres(trigger, name -> null, "f");
        try (Connection c = pg.connect()) {
            pg.prepare(c);
        }
    }

    @Test
    void anUnreachableServerSaysWhatToCheck() {
        assertThatThrownBy(() -> prepare(trigger("jdbc:postgresql://127.0.0.1:1/shop", "tributary", "public.houses")))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/shop as tributary (")
                .hasMessageEndingWith(
                        "check that PostgreSQL runs and listens there, and the role and password (passwordEnv)");
    }

    @Test
    void aMissingPasswordVariableIsNamed() {
        DatabaseTrigger withPassword = trigger(postgres.url(), "tributary", "public.houses", "NO_SUCH_PASSWORD");
        assertThatThrownBy(() -> new Postgres(withPassword, Map.<String, String>of()::get, "f"))
                .hasMessage(
                        "the environment variable NO_SUCH_PASSWORD (passwordEnv of function 'f') is not set: export it with "
                                + "the password of tributary");
    }

    @Test
    void aRoleWithoutReplicationIsTold() {
        assertThatThrownBy(() -> prepare(trigger(postgres.url(), "plain", "public.houses")))
                .hasMessage("role plain may not replicate: run ALTER ROLE plain REPLICATION as a superuser");
    }

    @Test
    void aTableWithoutPrimaryKeyOrThatDoesNotExistIsTold() {
        assertThatThrownBy(() -> prepare(trigger(postgres.url(), "tributary", "public.keyless")))
                .hasMessage("table public.keyless has no primary key: add one, it is the id of each row's event");
        assertThatThrownBy(() -> prepare(trigger(postgres.url(), "tributary", "public.nothing")))
                .hasMessageStartingWith("table public.nothing does not exist in " + postgres.url());
    }

    @Test
    void withoutLogicalWalLevelItSaysWhatToSet() throws Exception {
        postgres.restart("replica");
        try {
            assertThatThrownBy(() -> prepare(trigger(postgres.url(), "tributary", "public.houses")))
                    .hasMessage("PostgreSQL at " + postgres.url()
                            + " has wal_level=replica, and change capture needs logical: "
                            + "set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart "
                            + "PostgreSQL");
        } finally {
            postgres.restart("logical");
        }
    }
}
