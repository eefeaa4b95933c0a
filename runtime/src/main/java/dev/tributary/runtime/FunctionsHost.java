package dev.tributary.runtime;

import dev.tributary.functions.FunctionsRunner;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's lifetime: starts a {@link FunctionsRunner} per function and the {@link InstanceServer}
 * over them, waits until they run, and stops them all on {@link #close()} or when the JVM is asked to
 * stop (a shutdown hook), deleting a state directory it was told it owns.
 *
 * <pre>{@code
 * try (FunctionsHost host = FunctionsHost.start(configs, Http.of("0.0.0.0", 8081), stateDir, true)) {
 *   host.awaitRunning(Duration.ofSeconds(60));
 *   host.awaitStop();             // returns after Ctrl-C; throws if a function stops by itself
 * }
 * }</pre>
 */
public final class FunctionsHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionsHost.class);

    /** Where /metrics, /health and /ready listen: {@code port} 0 turns them off; {@code preferred} falls back to any free port. */
    public record HttpSettings(String host, int port, boolean preferred) {}

    /** A function that is no longer running although nobody stopped it. */
    public static final class FunctionStoppedException extends RuntimeException {
        FunctionStoppedException(String message) {
            super(message);
        }
    }

    private final List<FunctionsRunner> runners;
    private final InstanceServer http;
    private final Path ownedStateDir;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set before the runners are closed, so that their stopping is not taken for a failure. */
    private volatile boolean stopping;

    private final Thread hook;

    private FunctionsHost(List<FunctionsRunner> runners, InstanceServer http, Path ownedStateDir) {
        this.runners = List.copyOf(runners);
        this.http = http;
        this.ownedStateDir = ownedStateDir;
        this.hook = new Thread(this::stopAll, "tributary-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * @param ownedStateDir a state directory to delete when the host stops (one it created), or null
     * @throws IOException when the HTTP port cannot be opened (the functions started are stopped again)
     */
    public static FunctionsHost start(
            List<FunctionsRunner.Config> configs, HttpSettings httpSettings, Path ownedStateDir) throws IOException {
        List<FunctionsRunner> runners = new ArrayList<>();
        try {
            for (FunctionsRunner.Config c : configs) {
                runners.add(FunctionsRunner.start(c));
            }
            return new FunctionsHost(runners, startHttp(runners, httpSettings), ownedStateDir);
        } catch (IOException | RuntimeException e) {
            runners.forEach(FunctionsRunner::close);
            throw e;
        }
    }

    private static InstanceServer startHttp(List<FunctionsRunner> runners, HttpSettings s) throws IOException {
        if (s.port() == 0) {
            return null;
        }
        try {
            return InstanceServer.start(runners, s.host(), s.port());
        } catch (BindException e) {
            if (!s.preferred()) {
                throw e;
            }
            InstanceServer http = InstanceServer.start(runners, s.host(), 0);
            LOG.warn(
                    "Port {} is taken (another instance?): /metrics, /health and /ready are on port {}",
                    s.port(),
                    http.port());
            return http;
        }
    }

    public List<FunctionsRunner> runners() {
        return runners;
    }

    /** The port of /metrics, /health and /ready, or -1 when they are off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** @throws FunctionStoppedException naming the first function that did not reach RUNNING in time */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        for (FunctionsRunner runner : runners) {
            if (!runner.awaitRunning(timeout)) {
                throw new FunctionStoppedException(
                        "function " + runner.config().routing().self().name() + " did not reach " + "RUNNING within "
                                + timeout.toSeconds() + " s (state " + runner.state() + ")");
            }
        }
    }

    /**
     * Blocks until the host is stopped (Ctrl-C, {@link #close()}).
     *
     * @throws FunctionStoppedException when a function stops by itself first
     */
    public void awaitStop() throws InterruptedException {
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            for (FunctionsRunner runner : runners) {
                KafkaStreams.State state = runner.state();
                if ((state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) && !stopping) {
                    throw new FunctionStoppedException(
                            "function " + runner.config().routing().self().name() + " stopped (state " + state
                                    + "); see the log above");
                }
            }
        }
    }

    private synchronized void stopAll() {
        if (stopped.getCount() == 0) {
            return;
        }
        stopping = true;
        if (http != null) {
            http.close();
        }
        runners.forEach(FunctionsRunner::close);
        if (ownedStateDir != null) {
            TempDirs.delete(ownedStateDir);
        }
        stopped.countDown();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run or is running stopAll
        }
    }
}
