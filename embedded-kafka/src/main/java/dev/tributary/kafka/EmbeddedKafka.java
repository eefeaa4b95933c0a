package dev.tributary.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
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
            DataDirs.deleteRecursively(dataDir);
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
            int clientPort = port != 0 ? port : LocalPorts.freePort(HOST);
            int controllerPort = LocalPorts.freePort(HOST);
            Map<String, String> props =
                    BrokerProperties.of(HOST, NODE_ID, clientPort, controllerPort, logDir, overrides);
            StorageFormat.formatIfNeeded(props, logDir, dataDir);
            KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            try {
                s.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(s);
                if (LocalPorts.isBindFailure(e) && attempt < MAX_BIND_ATTEMPTS) {
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
                BrokerReadiness.await(bootstrapServers(), READY_TIMEOUT);
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            LOG.info("Embedded Kafka ready on {} (data dir {}) in {} ms", bootstrapServers(), dataDir, millisSince(t0));
            return;
        }
        throw new IllegalStateException("Embedded Kafka could not bind a port", lastBindFailure);
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error shutting down embedded Kafka", e);
        }
    }

    static void sleep(long ms) {
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

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", dataDir=" + dataDir + (isRunning() ? "" : ", stopped") + "]";
    }
}
