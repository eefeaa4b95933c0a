package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.registry.Clients;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.registry.TopicFollower;
import dev.tributary.schema.Topics;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;

/**
 * The live dashboard: follows the cluster the way the command line does — the registry and schemas
 * topics ({@link RegistryFollower}, or a {@link ModelRegistry} when changes are allowed), the usage
 * and dead-letter topics ({@link TopicFollower}s), every consumer group's lag (admin client) and each
 * given instance's {@code /metrics} — and serves it on the JDK's HTTP server.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.start(new Dashboard.Config(props, Topics.defaults(), "127.0.0.1", 8088, false, List.of(), null, renderers))) {
 *   System.out.println(d.url());
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
    static final long INSTANCES_EVERY_MS = 2_000;
    static final long LAG_EVERY_MS = 5_000;
    /** The models page's numbers (version age, events per second) move with time too. */
    static final long TICK_MS = 5_000;

    /**
     * @param clientProperties Kafka client settings (bootstrap servers, security)
     * @param host the address to listen on (127.0.0.1 keeps it on this machine; 0.0.0.0 for a proxy or container)
     * @param port the port, 0 for any free one
     * @param allowChanges whether the page may set aliases and roll back
     * @param instances base addresses of {@code run} instances whose {@code /metrics} to read
     * @param timeline the autoscaler's timeline CSV ({@code autoscale --timeline}), or null
     * @param renderers how versions, dead letters and bills become JSON
     */
    public record Config(
            Map<String, Object> clientProperties,
            Topics topics,
            String host,
            int port,
            boolean allowChanges,
            List<URI> instances,
            java.nio.file.Path timeline,
            Renderers renderers) {}

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final DashboardServer server;

    private Dashboard(Config config) throws IOException {
        try {
            Map<String, Object> props = Clients.bounded(config.clientProperties());
            RegistryView view;
            ModelRegistry registry = null;
            if (config.allowChanges()) {
                registry = push(new ModelRegistry(props, config.topics().models()));
                view = registry.view();
            } else {
                view = push(new RegistryFollower(props, config.topics().models(), RegistryView.forServing()).start())
                        .view();
            }
            AtomicLong registryChanges = new AtomicLong();
            view.addListener(model -> registryChanges.incrementAndGet());
            DeadLetterLog deadLetters = new DeadLetterLog(config.renderers());
            push(new TopicFollower(props, config.topics().deadLetters(), deadLetters::add).start());
            UsageLog usage = new UsageLog(config.renderers());
            push(new TopicFollower(props, config.topics().usage(), usage::add).start());
            Admin admin = push(Admin.create(props));
            GroupLag lag = new GroupLag(admin);
            InstanceMetrics instances = new InstanceMetrics(config.instances());
            AtomicLong functionsChanges = new AtomicLong();
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tributary-dashboard-poller");
                t.setDaemon(true);
                return t;
            });
            push(poller::shutdownNow);
            poller.scheduleWithFixedDelay(
                    guarded(() -> {
                        instances.refresh();
                        functionsChanges.incrementAndGet();
                    }),
                    0,
                    INSTANCES_EVERY_MS,
                    TimeUnit.MILLISECONDS);
            poller.scheduleWithFixedDelay(
                    guarded(() -> {
                        lag.refresh();
                        functionsChanges.incrementAndGet();
                    }),
                    0,
                    LAG_EVERY_MS,
                    TimeUnit.MILLISECONDS);
            EventStream events = new EventStream(() -> changes(
                    registryChanges.get(),
                    deadLetters.total(),
                    usage.added(),
                    functionsChanges.get(),
                    System.currentTimeMillis() / TICK_MS));
            push(events::close);
            ObjectNode about = ModelsJson.object();
            about.put("allowChanges", config.allowChanges());
            about.put("registryTopic", config.topics().models());
            about.put("instances", config.instances().size());
            ModelsJson models = new ModelsJson(
                    view, config.renderers(), model -> usage.eventsPerSecond(model, System.currentTimeMillis()));
            this.server = push(new DashboardServer(
                    config.host(),
                    config.port(),
                    new DashboardData(
                            about,
                            models,
                            deadLetters,
                            usage,
                            instances,
                            lag,
                            config.timeline() == null ? null : new TimelineFile(config.timeline()),
                            new ChangeRequests(registry),
                            events),
                    System::currentTimeMillis));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts following the cluster and serving; the page fills in as the followers catch up. */
    public static Dashboard start(Config config) throws IOException {
        return new Dashboard(config);
    }

    /** A periodic task that logs what it throws instead of ending its schedule (as an executor would). */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Dashboard.class)
                        .warn("dashboard refresh failed: {}", e.toString(), e);
            }
        };
    }

    /** The change feed's data: one counter per source, and a clock tick. */
    static String changes(long registry, long deadLetters, long usage, long functions, long tick) {
        return "{\"registry\":" + registry + ",\"deadLetters\":" + deadLetters + ",\"usage\":" + usage
                + ",\"functions\":" + functions + ",\"tick\":" + tick + "}";
    }

    /** Where the page is: {@code http://HOST:PORT/}. */
    public URI url() {
        String host = server.address().getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : server.address().getHostString();
        return URI.create("http://" + host + ":" + server.address().getPort() + "/");
    }

    private <T extends AutoCloseable> T push(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }
}
