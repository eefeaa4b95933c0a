package dev.tributary.cli;

import dev.tributary.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A standalone embedded KRaft broker on 127.0.0.1 until Ctrl-C. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C, for local development.")
public final class BrokerCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "Client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Keep the broker's data here across restarts (default: a temporary directory deleted on exit).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        requireFree(port);
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(new EmbeddedKafka.Config(port, dataDir, Map.of()));
        } catch (RuntimeException e) {
            throw new CliException("cannot start the broker on 127.0.0.1:" + port + ": " + reason(e), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            kafka.close();
                            stopped.countDown();
                        },
                        "tributary-broker-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Kafka broker running on " + kafka.bootstrapServers() + " (data dir " + kafka.dataDir()
                + (dataDir == null ? ", deleted on exit" : "") + "). Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** A taken port is said in one line here, before the broker starts and logs its own failure at length. */
    static void requireFree(int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (java.io.IOException e) {
            throw new CliException("cannot start the broker on 127.0.0.1:" + port
                    + ": the port is already in use (another " + "broker running?); give another with --port");
        }
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return "the port is already in use (another broker running?)";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return Errors.oneLine(root.getMessage() == null ? root.toString() : root.getMessage());
    }
}
