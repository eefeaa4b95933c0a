package dev.tributary.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of the embedded broker: KRaft in combined mode with a single voter, replication
 * factor 1 everywhere, few threads and small buffers, segments sized for development and tests.
 */
final class BrokerProperties {
    private BrokerProperties() {}

    /**
     * The properties of a node that is both broker and controller, listening on {@code host}.
     *
     * @param overrides applied last, over the defaults
     */
    static Map<String, String> of(
            String host, int nodeId, int clientPort, int controllerPort, Path logDir, Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        // KRaft, combined mode, single static voter on 127.0.0.1.
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", nodeId + "@" + host + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // Single node: everything at replication factor 1.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("delete.topic.enable", "true");

        // Light on threads and memory.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("log.cleaner.enable", "true");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.cleaner.io.buffer.size", String.valueOf(256 * 1024));
        p.put("log.cleaner.backoff.ms", "1000");
        p.put("socket.send.buffer.bytes", String.valueOf(128 * 1024));
        p.put("socket.receive.buffer.bytes", String.valueOf(128 * 1024));
        p.put("queued.max.requests", "100");

        // Segments / retention sized for development and tests.
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("log.retention.hours", "168");
        p.put("log.retention.check.interval.ms", "60000");
        p.put("offsets.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("share.coordinator.state.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("metadata.log.segment.bytes", String.valueOf(16 * 1024 * 1024));

        p.putAll(overrides);
        return p;
    }
}
