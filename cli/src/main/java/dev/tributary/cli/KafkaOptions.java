package dev.tributary.cli;

import dev.tributary.schema.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The connection options every command that talks to Kafka takes. */
public final class KafkaOptions {
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to connect to (default: " + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "A Kafka client properties file (SASL, SSL, ...) merged into every client.")
    Path kafkaConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            description = "Tributary's topics are PREFIX.events, PREFIX.feedback, PREFIX.predictions, PREFIX.models, "
                    + "PREFIX.schemas, PREFIX.dead-letters and PREFIX.usage (default: " + Topics.DEFAULT_PREFIX + ").")
    String topicPrefix = Topics.DEFAULT_PREFIX;

    /** Tributary's topics under --topic-prefix. */
    public Topics topics() {
        if (!topicPrefix.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new CliException(
                    "--topic-prefix takes letters, digits, '.', '_' and '-' (as Kafka topic names do), got '"
                            + topicPrefix + "'");
        }
        return Topics.prefixed(topicPrefix);
    }

    /** Whether --bootstrap-servers or --kafka-config was given (the demo then uses that cluster, not its own broker). */
    public boolean connectionGiven() {
        return bootstrapServers != null || kafkaConfig != null;
    }

    /** {@link #clientProperties()}, once the cluster has answered ({@link Kafka#requireReachable}). */
    public Map<String, Object> reachableClientProperties() {
        Map<String, Object> props = clientProperties();
        Kafka.requireReachable(props);
        return props;
    }

    /** The brokers: the flag, else bootstrap.servers of the config file, else 127.0.0.1:9092. */
    public String bootstrapServers() {
        if (bootstrapServers != null) {
            return bootstrapServers;
        }
        Object fromFile = fileProperties().get("bootstrap.servers");
        return fromFile == null ? DEFAULT_BOOTSTRAP : fromFile.toString();
    }

    /** bootstrap.servers plus the config file, as every client (and the functions) get them. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>(fileProperties());
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** The properties of --kafka-config, or none. */
    Map<String, Object> fileProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        if (kafkaConfig == null) {
            return props;
        }
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
            file.load(reader);
        } catch (NoSuchFileException e) {
            throw new CliException("the Kafka config file " + kafkaConfig + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read the Kafka config file " + kafkaConfig + ": " + e.getMessage());
        }
        file.stringPropertyNames()
                .forEach(name -> props.put(name, file.getProperty(name).trim()));
        return props;
    }
}
