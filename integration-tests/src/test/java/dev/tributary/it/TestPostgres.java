package dev.tributary.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for a test: the Debian {@code postgresql} binaries, a cluster initialised
 * in a temporary directory with {@code wal_level=logical}, listening on 127.0.0.1 on a free port. As
 * root (where {@code initdb} refuses to run) it runs as the {@code postgres} system user.
 */
final class TestPostgres implements AutoCloseable {
    static final String DATABASE = "shop";
    static final String USER = "tributary";

    final Path dir;
    final int port;
    private final Path bin;

    private TestPostgres(Path dir, int port, Path bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    static TestPostgres start() throws Exception {
        Path bin = binaries();
        Path dir = Files.createTempDirectory(
                "tributary-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TestPostgres pg = new TestPostgres(dir, port, bin);
        if (isRoot()) {
            pg.run(List.of("chown", "postgres", dir.toString()), false);
        }
        pg.run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "postgres",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--no-sync"),
                true);
        pg.pgCtl("start", "logical");
        try (Connection c = pg.connect("postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN REPLICATION");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
        return pg;
    }

    /** Starts the server again with another {@code wal_level} (logical, replica, minimal). */
    void restart(String walLevel) throws Exception {
        pgCtl("restart", walLevel);
    }

    private void pgCtl(String action, String walLevel) throws Exception {
        String senders = walLevel.equals("minimal") ? "0" : "10";
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-m",
                        "fast",
                        "-o",
                        "-c port=" + port
                                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir + " -c wal_level="
                                + walLevel
                                + " -c max_wal_senders=" + senders + " -c max_replication_slots=10 -c fsync=off",
                        action),
                true);
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    Connection connect() throws SQLException {
        return connect(DATABASE, USER);
    }

    Connection connect(String database, String user) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + user);
    }

    String log() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output + "\n" + log());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest installed PostgreSQL's bin directory. */
    static Path binaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparing(
                                v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IllegalStateException(
                "no PostgreSQL server binaries under /usr/lib/postgresql: install postgresql " + "(.ci/run does)");
    }

    @Override
    public void close() throws Exception {
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-m",
                            "fast",
                            "-w",
                            "stop"),
                    true);
        } finally {
            run(List.of("rm", "-rf", dir.toString()), false);
        }
    }
}
