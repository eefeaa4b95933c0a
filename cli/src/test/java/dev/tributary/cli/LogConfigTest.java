package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** The CLI's log configuration keeps Kafka Streams' warnings that do not apply off the screen, and nothing else. */
class LogConfigTest {
    static Filter.Result filter(Configuration config, String logger, Level level, String message) {
        Filter filter = config.getLoggerConfig(logger).getFilter();
        return filter == null
                ? Filter.Result.NEUTRAL
                : filter.filter(null, level, null, new SimpleMessage(message), (Throwable) null);
    }

    @Test
    void aCorruptedTaskAfterACrashAndTheGlobalThreadHintAreFilteredOtherWarningsAreNot() throws Exception {
        URI file = Logs.class.getResource("/log4j2.xml").toURI();
        Configuration config;
        try (LoggerContext context = new LoggerContext("log-config-test")) {
            config = ConfigurationFactory.getInstance().getConfiguration(context, ConfigurationSource.fromUri(file));
            config.initialize();
        }
        String internals = "org.apache.kafka.streams.processor.internals.";
        assertThat(
                        filter(
                                config,
                                internals + "TaskManager",
                                Level.ERROR,
                                "Get exceptions for the following tasks: {1_1=org.apache.kafka.streams.errors.TaskCorruptedException: x}"))
                .isEqualTo(Filter.Result.DENY);
        assertThat(filter(
                        config,
                        internals + "ProcessorStateManager",
                        Level.WARN,
                        "State store trainer-state did not find checkpoint offsets while stores are not empty"))
                .isEqualTo(Filter.Result.DENY);
        assertThat(filter(
                        config,
                        "org.apache.kafka.streams.StreamsConfig",
                        Level.WARN,
                        "Processing exception handler is not enabled for the GlobalThread. It's recommended ..."))
                .isEqualTo(Filter.Result.DENY);
        assertThat(filter(config, internals + "TaskManager", Level.ERROR, "Failed to commit tasks"))
                .isNotEqualTo(Filter.Result.DENY);
    }
}
