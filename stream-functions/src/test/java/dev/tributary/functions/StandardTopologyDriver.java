package dev.tributary.functions;

import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/** A test driver of the score and train functions as {@code tributary run} runs them without a function file. */
final class StandardTopologyDriver {
    private StandardTopologyDriver() {}

    /** @param view the registry the functions see (a test applies its models to it) */
    static TopologyTestDriver start(Path stateDir, RegistryView view, FunctionStats stats) {
        return new TopologyTestDriver(
                FunctionsTopology.build(
                        Topics.defaults(),
                        new ModelCatalog(view, timeout -> true),
                        FunctionsTopology.Settings.defaults("test-instance"),
                        stats),
                props(stateDir));
    }

    /** The properties of a test driver of application {@code test} with its state in {@code stateDir}. */
    static Properties props(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }
}
