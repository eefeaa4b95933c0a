package dev.tributary.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Log levels the CLI changes at run time. */
public final class Logs {
    private Logs() {}

    /** While a command owns the screen: warnings from Tributary, errors from Kafka. */
    public static void quietForScreen() {
        try {
            Configurator.setLevel("dev.tributary", Level.WARN);
            Configurator.setLevel("kafka", Level.ERROR);
            Configurator.setLevel("org.apache.kafka", Level.ERROR);
            // The demo's own broker logs every produce request it asks a client to retry (out-of-order
            // sequence after a concurrent-transactions retry) at ERROR; the client retries and nothing is
            // lost, and the demo's summary counts every event.
            Configurator.setLevel("kafka.server.ReplicaManager", Level.FATAL);
        } catch (RuntimeException | LinkageError e) {
            // another logging backend: leave its configuration alone
        }
    }
}
