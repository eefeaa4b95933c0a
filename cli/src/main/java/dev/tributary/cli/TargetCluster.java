package dev.tributary.cli;

import dev.tributary.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka cluster a command runs against: the one its options name, checked reachable, or, when
 * they name none, a single-node broker started in this process. Closing stops that broker (also on
 * Ctrl-C, when its temporary data directory goes with it); a named cluster is left as it is.
 */
final class TargetCluster implements AutoCloseable {
    private final Map<String, Object> clientProperties;
    private final EmbeddedKafka broker;
    private final Thread shutdownHook;

    private TargetCluster(Map<String, Object> clientProperties, EmbeddedKafka broker) {
        this.clientProperties = clientProperties;
        this.broker = broker;
        this.shutdownHook = broker == null ? null : new Thread(broker::close, "tributary-broker-shutdown");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * @param log where to say that a broker is being started
     * @param starting what to say
     */
    static TargetCluster of(KafkaOptions kafka, PrintWriter log, String starting) {
        if (kafka.connectionGiven()) {
            return new TargetCluster(kafka.reachableClientProperties(), null);
        }
        log.println(starting);
        log.flush();
        EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Config.defaults());
        return new TargetCluster(new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers())), broker);
    }

    Map<String, Object> clientProperties() {
        return clientProperties;
    }

    /** Whether this is a broker started in this process. */
    boolean embedded() {
        return broker != null;
    }

    String bootstrapServers() {
        return String.valueOf(clientProperties.get("bootstrap.servers"));
    }

    @Override
    public void close() {
        if (broker == null) {
            return;
        }
        broker.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
    }
}
