package dev.tributary.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.functions.FunctionMetrics;
import dev.tributary.functions.FunctionsRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The HTTP side of a {@code run} instance (all the functions of its process): {@code GET /metrics} (Prometheus text), {@code GET
 * /health} (200 while Kafka Streams is neither ERROR nor NOT_RUNNING) and {@code GET /ready} (200
 * when RUNNING and the registry view has caught up with the registry topic; 503 otherwise).
 */
public final class InstanceServer implements AutoCloseable {
    public static final String METRICS = "/metrics";
    public static final String HEALTH = "/health";
    public static final String READY = "/ready";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final AutoCloseable onClose;

    InstanceServer(
            String host,
            int port,
            Supplier<String> scrape,
            Supplier<String> health,
            Supplier<String> readiness,
            AutoCloseable onClose)
            throws IOException {
        this.onClose = onClose;
        this.server = Http.start(
                host,
                port,
                2,
                "tributary-http",
                Map.of(
                        METRICS,
                        exchange -> {
                            Http.requireGet(exchange);
                            Http.text(exchange, 200, PROMETHEUS_TEXT, scrape.get());
                        },
                        HEALTH,
                        exchange -> {
                            Http.requireGet(exchange);
                            status(exchange, health.get());
                        },
                        READY,
                        exchange -> {
                            Http.requireGet(exchange);
                            status(exchange, readiness.get());
                        },
                        "/",
                        exchange -> {
                            throw new Http.Refused(
                                    404,
                                    "no such path " + exchange.getRequestURI().getPath()
                                            + ": try /metrics, /health or /ready");
                        }));
    }

    /** null means fine (200 {"status":"ok"}), anything else is the reason for a 503. */
    private static void status(com.sun.net.httpserver.HttpExchange exchange, String problem) throws IOException {
        if (problem == null) {
            Http.json(exchange, 200, Map.of("status", "ok"));
        } else {
            Http.json(exchange, 503, Map.of("status", "unavailable", "error", problem));
        }
    }

    /** Serves the metrics, health and readiness of {@code runner} on {@code host:port} (port 0: any free port). */
    public static InstanceServer start(FunctionsRunner runner, String host, int port) throws IOException {
        return start(List.of(runner), host, port);
    }

    /**
     * Serves the functions of one process together: their metrics (each tagged with its function),
     * healthy while every one is, ready when every one is.
     */
    public static InstanceServer start(List<FunctionsRunner> runners, String host, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        bindHeapUsage(registry);
        List<FunctionMetrics> metrics =
                runners.stream().map(r -> new FunctionMetrics(r, registry)).toList();
        AutoCloseable release = () -> {
            metrics.forEach(FunctionMetrics::close);
            registry.close();
        };
        try {
            return new InstanceServer(
                    host,
                    port,
                    () -> {
                        metrics.forEach(FunctionMetrics::refresh);
                        return registry.scrape();
                    },
                    () -> firstProblem(runners, r -> health(r.state())),
                    () -> firstProblem(
                            runners, r -> readiness(r.state(), () -> r.registryCaughtUp(Duration.ofSeconds(2)))),
                    release);
        } catch (IOException e) {
            metrics.forEach(FunctionMetrics::close);
            registry.close();
            throw e;
        }
    }

    /** {@code jvm_heap_usage}: heap used over the maximum heap, what {@code autoscale --policy memory} scales on. */
    static void bindHeapUsage(io.micrometer.core.instrument.MeterRegistry registry) {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        io.micrometer.core.instrument.Gauge.builder("jvm.heap.usage", memory, m -> {
                    java.lang.management.MemoryUsage heap = m.getHeapMemoryUsage();
                    return heap.getMax() > 0 ? (double) heap.getUsed() / heap.getMax() : Double.NaN;
                })
                .description("Heap used over the maximum heap (-Xmx)")
                .register(registry);
    }

    /** The first runner's problem (named after its function when there are several), or null. */
    private static String firstProblem(List<FunctionsRunner> runners, Function<FunctionsRunner, String> check) {
        for (FunctionsRunner r : runners) {
            String problem = check.apply(r);
            if (problem != null) {
                return runners.size() == 1
                        ? problem
                        : "function " + r.config().routing().self().name() + ": " + problem;
            }
        }
        return null;
    }

    static String health(KafkaStreams.State state) {
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                ? "Kafka Streams is " + state
                : null;
    }

    static String readiness(KafkaStreams.State state, BooleanSupplier registryCaughtUp) {
        if (state != KafkaStreams.State.RUNNING) {
            return "Kafka Streams is " + state + ", not RUNNING";
        }
        return registryCaughtUp.getAsBoolean() ? null : "the registry view has not caught up with the registry topic";
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        Http.stop(server);
        try {
            onClose.close();
        } catch (Exception e) {
            // metrics are being dropped with the server
        }
    }
}
