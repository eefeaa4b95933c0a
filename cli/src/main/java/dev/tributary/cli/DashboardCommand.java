package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dashboard.Dashboard;
import dev.tributary.dashboard.Renderers;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.UsageRecord;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The live web dashboard, until Ctrl-C. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Serve the live dashboard until Ctrl-C: models and their learning curves, functions and lag, dead "
                    + "letters, usage. Read-only unless --allow-changes (then the page can set aliases and roll back: put it "
                    + "behind a proxy that authenticates, see docs/operations.md)."
        })
public final class DashboardCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8088",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 behind a proxy or in a container).")
    String host;

    @Option(names = "--allow-changes", description = "Let the page set aliases and roll back (default: read-only).")
    boolean allowChanges;

    @Option(
            names = "--instance",
            paramLabel = "URL",
            description =
                    "A run instance's HTTP address (its --http-port), e.g. http://127.0.0.1:8081; repeat for each.")
    List<URI> instances = new ArrayList<>();

    @Option(
            names = "--timeline",
            paramLabel = "FILE",
            description =
                    "The CSV that 'tributary autoscale --timeline FILE' writes: instances and lag over time on the Functions page.")
    java.nio.file.Path timeline;

    @Spec
    CommandSpec spec;

    /** The command line's renderers: a version as {@code models show}, a dead letter as {@code consume}, a bill as {@code usage}. */
    static final Renderers RENDERERS = new Renderers() {
        @Override
        public ObjectNode version(ModelVersion version) {
            return VersionJson.render(version);
        }

        @Override
        public ObjectNode record(ConsumerRecord<byte[], byte[]> record) {
            return RecordJson.raw(record);
        }

        @Override
        public ObjectNode bill(List<UsageRecord> records, List<String> by) {
            UsageBill bill =
                    new UsageBill(by.stream().map(UsageBill.By::valueOf).toList(), UsageBill.Prices.EXAMPLE);
            records.forEach(bill::add);
            return bill.json();
        }
    };

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
        }
        for (URI instance : instances) {
            if (!"http".equals(instance.getScheme()) && !"https".equals(instance.getScheme())) {
                throw new ParameterException(
                        spec.commandLine(), "--instance takes an http:// or https:// address, not " + instance);
            }
        }
        Map<String, Object> props = kafka.reachableClientProperties();
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(new Dashboard.Config(
                    props, kafka.topics(), host, port, allowChanges, instances, timeline, RENDERERS));
        } catch (java.io.IOException e) {
            throw new CliException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            dashboard.close();
                            stopped.countDown();
                        },
                        "tributary-dashboard-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Tributary dashboard on " + dashboard.url() + (allowChanges ? " (changes allowed)" : " (read-only)")
                + ", Kafka " + kafka.bootstrapServers() + ". Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
