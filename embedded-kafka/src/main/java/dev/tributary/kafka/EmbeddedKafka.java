package dev.tributary.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka 4.x broker running in-process in KRaft mode (one node acting as
 * both broker and controller), listening on {@code 127.0.0.1} only.
 *
 * <p>This is not a mock: clients talk to it over TCP exactly as to any other broker, so
 * transactions ({@code exactly_once_v2}), consumer groups and log compaction all work. All
 * internal topics use replication factor 1, {@code group.initial.rebalance.delay.ms} is 0 and
 * thread counts / buffers are kept small so that a broker starts in a few seconds and fits in a
 * small test JVM.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     Properties props = new Properties();
 *     props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
 *     try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
 *         producer.send(new ProducerRecord<>("events", "k", "v")).get();
 *     }
 * }
 *
 * // Persistent data dir, fixed port and small segments so compaction kicks in quickly:
 * var config = new EmbeddedKafka.Config(9092, Path.of("target/kafka-data"),
 *         Map.of("log.segment.bytes", "1048576"));
 * EmbeddedKafka kafka = EmbeddedKafka.start(config);
 * kafka.stop();     // broker down, data kept
 * kafka.restart();  // same port, same data dir
 * kafka.close();    // a caller-supplied data dir is kept; a temporary one is deleted
 * }</pre>
 *
 * <p><b>Logging.</b> The broker logs through SLF4J. This module deliberately ships no logging
 * configuration; an application needs an SLF4J binding (for example {@code log4j-slf4j2-impl})
 * and should set the {@code kafka} and {@code org.apache.kafka} loggers to {@code WARN}, otherwise
 * the broker is very chatty at INFO.
 *
 * <p>Instances are thread-safe; {@link #stop()}, {@link #restart()} and {@link #close()} may be
 * called from any thread.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * How to start the broker.
     *
     * @param port            the client (PLAINTEXT) port on 127.0.0.1; {@code 0} picks a free one
     *                        (then kept across {@link #restart()})
     * @param dataDir         where the broker keeps its logs; {@code null} creates a temporary
     *                        directory that {@link #close()} deletes. A non-null directory is kept,
     *                        and if it already holds a formatted broker it is reused as is (not
     *                        reformatted), so a broker can be restarted on the same data
     * @param brokerOverrides broker properties applied last, overriding the defaults (for example
     *                        {@code log.segment.bytes}, {@code log.cleaner.backoff.ms}); may be null
     */
    public record Config(int port, Path dataDir, Map<String, String> brokerOverrides) {
        public Config {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            brokerOverrides = brokerOverrides == null ? Map.of() : Map.copyOf(brokerOverrides);
        }

        /** Free port, temporary data dir, no overrides. */
        public static Config defaults() {
            return new Config(0, null, Map.of());
        }

        public Config withPort(int newPort) {
            return new Config(newPort, dataDir, brokerOverrides);
        }

        public Config withDataDir(Path newDataDir) {
            return new Config(port, newDataDir, brokerOverrides);
        }

        public Config withOverrides(Map<String, String> newOverrides) {
            return new Config(port, dataDir, newOverrides);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String LOGS_SUBDIR = "logs";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_BIND_ATTEMPTS = 5;

    private final Map<String, String> overrides;
    private final Path dataDir;
    private final boolean tempDir;
    private volatile int port;
    private volatile KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(Config config) throws IOException {
        this.overrides = config.brokerOverrides();
        this.port = config.port();
        if (config.dataDir() == null) {
            this.dataDir = Files.createTempDirectory("embedded-kafka-");
            this.tempDir = true;
        } else {
            this.dataDir = config.dataDir().toAbsolutePath();
            this.tempDir = false;
            Files.createDirectories(this.dataDir);
        }
    }

    /** Starts a broker on a free port with a temporary data dir (deleted on {@link #close()}). */
    public static EmbeddedKafka start() {
        return start(Config.defaults());
    }

    /** Starts a broker as configured and waits until it accepts admin requests and topic creation. */
    public static EmbeddedKafka start(Config config) {
        Objects.requireNonNull(config, "config");
        EmbeddedKafka kafka;
        try {
            kafka = new EmbeddedKafka(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir", e);
        }
        try {
            kafka.startBroker();
        } catch (RuntimeException | Error e) {
            try {
                kafka.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return kafka;
    }

    /** {@code "127.0.0.1:PORT"}. */
    public String bootstrapServers() {
        return HOST + ":" + port();
    }

    /** The client port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The broker's data directory (its log dirs live under {@code dataDir/logs}). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is currently running. */
    public boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down and keeps the data dir, so that {@link #restart()} can bring it back. */
    public synchronized void stop() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            long t0 = System.nanoTime();
            shutdownQuietly(s);
            LOG.debug("Embedded Kafka on {} stopped in {} ms", bootstrapServers(), millisSince(t0));
        }
    }

    /** Starts the broker again (after {@link #stop()}) on the same port and data dir; stops it first if running. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        stop();
        startBroker();
    }

    /** Stops the broker and deletes the data dir if it is a temporary one. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (tempDir) {
            deleteRecursively(dataDir);
        }
    }

    // ------------------------------------------------------------------------------------------

    private synchronized void startBroker() {
        if (server != null) {
            return;
        }
        long t0 = System.nanoTime();
        Path logDir = dataDir.resolve(LOGS_SUBDIR);
        // port stays 0 until the first successful start: a port we picked ourselves may be re-picked
        // after a bind race, while a requested port, or the port of a restart, is kept.
        RuntimeException lastBindFailure = null;
        for (int attempt = 1; attempt <= MAX_BIND_ATTEMPTS; attempt++) {
            int clientPort = port != 0 ? port : freePort();
            int controllerPort = freePort();
            Map<String, String> props = brokerProperties(clientPort, controllerPort, logDir);
            formatIfNeeded(props, logDir);
            KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            try {
                s.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(s);
                if (isBindFailure(e) && attempt < MAX_BIND_ATTEMPTS) {
                    LOG.warn("Embedded Kafka could not bind (attempt {}), retrying: {}", attempt, e.toString());
                    lastBindFailure = e;
                    sleep(200);
                    continue;
                }
                throw new IllegalStateException("Embedded Kafka failed to start on 127.0.0.1:" + clientPort, e);
            }
            port = clientPort;
            server = s;
            try {
                awaitReady();
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            LOG.info("Embedded Kafka ready on {} (data dir {}) in {} ms", bootstrapServers(), dataDir, millisSince(t0));
            return;
        }
        throw new IllegalStateException("Embedded Kafka could not bind a port", lastBindFailure);
    }

    private Map<String, String> brokerProperties(int clientPort, int controllerPort, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        // KRaft, combined mode, single static voter on 127.0.0.1.
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // Single node: everything at replication factor 1.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("delete.topic.enable", "true");

        // Light on threads and memory.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("log.cleaner.enable", "true");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.cleaner.io.buffer.size", String.valueOf(256 * 1024));
        p.put("log.cleaner.backoff.ms", "1000");
        p.put("socket.send.buffer.bytes", String.valueOf(128 * 1024));
        p.put("socket.receive.buffer.bytes", String.valueOf(128 * 1024));
        p.put("queued.max.requests", "100");

        // Segments / retention sized for development and tests.
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("log.retention.hours", "168");
        p.put("log.retention.check.interval.ms", "60000");
        p.put("offsets.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("share.coordinator.state.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("metadata.log.segment.bytes", String.valueOf(16 * 1024 * 1024));

        p.putAll(overrides);
        return p;
    }

    /** Formats the log dir with a fresh cluster id, unless it already holds a formatted broker. */
    private void formatIfNeeded(Map<String, String> props, Path logDir) {
        if (alreadyFormatted(props)) {
            return;
        }
        Path configFile = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            configFile = Files.createTempFile(dataDir, "format-", ".properties");
            Properties fileProps = new Properties();
            fileProps.putAll(props);
            try (OutputStream os = Files.newOutputStream(configFile)) {
                fileProps.store(os, "embedded-kafka storage format");
            }
            String clusterId = Uuid.randomUuid().toString();
            String[] args = {
                "format", "--config", configFile.toString(), "--cluster-id", clusterId, "--ignore-formatted"
            };
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(args, ps);
            }
            if (rc != 0) {
                throw new IllegalStateException(
                        "kafka storage format failed (rc=" + rc + "): " + out.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format " + logDir, e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("kafka storage format failed: " + out.toString(StandardCharsets.UTF_8), e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** True if every log dir (and the metadata log dir, if separate) already holds meta.properties. */
    private static boolean alreadyFormatted(Map<String, String> props) {
        List<String> dirs =
                new java.util.ArrayList<>(List.of(props.get("log.dirs").split(",")));
        String metadataDir = props.get("metadata.log.dir");
        if (metadataDir != null && !metadataDir.isBlank()) {
            dirs.add(metadataDir);
        }
        return dirs.stream()
                .map(String::trim)
                .allMatch(d -> Files.exists(Path.of(d).resolve("meta.properties")));
    }

    /** Blocks until an admin client can describe the cluster and create (then delete) a topic. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminProps = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        String probe = "__embedded_kafka_ready_" + Uuid.randomUuid();
        Exception last = null;
        try (Admin admin = Admin.create(adminProps)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster()
                            .nodes()
                            .get(10, TimeUnit.SECONDS)
                            .isEmpty()) {
                        throw new IllegalStateException("no broker registered yet");
                    }
                    try {
                        admin.createTopics(List.of(new NewTopic(probe, 1, (short) 1)))
                                .all()
                                .get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                    admin.deleteTopics(List.of(probe)).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
                } catch (Exception e) {
                    last = e;
                    sleep(100);
                }
            }
        }
        throw new IllegalStateException(
                "Embedded Kafka on " + bootstrapServers() + " not ready within " + READY_TIMEOUT, last);
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error shutting down embedded Kafka", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete embedded Kafka data dir {}: {}", root, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", dataDir=" + dataDir + (isRunning() ? "" : ", stopped") + "]";
    }
}
