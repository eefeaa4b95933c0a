package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics one instance of a function needs before its stream threads start: Tributary's own, the
 * function's named trigger and output topics (created when missing), its feedback topics
 * co-partitioned with their triggers ({@link FeedbackTopics}), and how large a version the registry
 * topic takes.
 */
final class InstanceTopics {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceTopics.class);

    private InstanceTopics() {}

    /**
     * Creates what is missing and checks the feedback topics' partitions.
     *
     * @return the registry topic's {@code max.message.bytes}
     */
    static int prepare(Admin admin, FunctionsRunner.Config config) {
        FunctionSpec self = config.routing().self();
        List<String> joined = FeedbackJoin.applies(self) ? self.trigger().topics() : List.of();
        FeedbackTopics.coPartition(admin, joined); // first: a feedback topic takes its existing trigger's count
        config.topics().ensure(admin, config.partitions());
        Topics.create(admin, functionTopics(self, config.partitions()));
        FeedbackTopics.coPartition(admin, joined);
        return registryMaxMessageBytes(admin, config.topics().models());
    }

    /** The function's named trigger topics and its output topic (a pattern creates nothing: it follows what exists). */
    static List<NewTopic> functionTopics(FunctionSpec function, int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        function.trigger().topics().forEach(t -> topics.add(new NewTopic(t, partitions, (short) -1)));
        if (function.kind().scores()) {
            topics.add(new NewTopic(function.output(), partitions, (short) -1));
        }
        return topics;
    }

    /** The registry topic's max.message.bytes, or the registry's own limit if it cannot be read. */
    static int registryMaxMessageBytes(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null
                    ? Topics.REGISTRY_MAX_MESSAGE_BYTES
                    : Integer.parseInt(entry.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Topics.REGISTRY_MAX_MESSAGE_BYTES;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn(
                    "Cannot read max.message.bytes of the registry topic {} ({}); assuming {}",
                    topic,
                    e.toString(),
                    Topics.REGISTRY_MAX_MESSAGE_BYTES);
            return Topics.REGISTRY_MAX_MESSAGE_BYTES;
        }
    }
}
