package dev.tributary.cli;

import dev.tributary.functions.ModelCatalog;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.Gateway;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventLimits;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The HTTP trigger: events and feedback in by POST, synchronous predictions from the serving versions, until Ctrl-C. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "The HTTP trigger: publish events and answer predictions over HTTP until Ctrl-C.",
            "  POST /v1/events               a JSON event -> the events topic (202 {\"id\": ...}; 400 with the reason if invalid)",
            "  POST /v1/feedback             {\"id\": ..., \"model\": ..., \"label\": ...}, the label of an event sent earlier ->",
            "                                the feedback topic (202; 400 or 404 with the reason)",
            "  POST /v1/models/NAME:predict  {\"features\": {...}, \"categories\": {...}} -> the prediction of the version scoring serves"
        })
public final class GatewayCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(
            names = {"--http-port", "--port"},
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(
            names = {"--http-host", "--host"},
            paramLabel = "ADDRESS",
            defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
    String host;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "8",
            description = "Request threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--http-port must be 0-65535, got " + port);
        }
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        var props = kafka.reachableClientProperties();
        Topics topics = kafka.topics();
        RegistryFollower follower = new RegistryFollower(props, topics.models(), RegistryView.forServing()).start();
        ModelCatalog catalog = new ModelCatalog(follower.view(), follower::awaitCaughtUp);
        follower.awaitCaughtUp(Kafka.TIMEOUT); // ready when it says so: the models created before it are known
        Gateway.EventSink sink = Gateway.kafkaSink(props, topics.events(), Duration.ofSeconds(10));
        Gateway.EventSink feedbackSink = Gateway.kafkaSink(props, topics.feedback(), Duration.ofSeconds(10));
        Gateway gateway;
        try {
            gateway = new Gateway(catalog, sink, feedbackSink, EventLimits.DEFAULT, host, port, threads);
        } catch (java.io.IOException e) {
            sink.close();
            feedbackSink.close();
            follower.close();
            throw new CliException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            sink.close();
                            feedbackSink.close();
                            follower.close();
                            stopped.countDown();
                        },
                        "tributary-gateway-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Tributary gateway on http://" + host + ":" + gateway.port()
                + " (POST /v1/events, POST /v1/feedback, POST /v1/models/NAME:predict)," + " Kafka "
                + kafka.bootstrapServers() + ". Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
