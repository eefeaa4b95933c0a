package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.autoscale.LagProbe;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each consumer group's lag per input topic, as the autoscaler reads it ({@link LagProbe}:
 * read_committed end offsets minus committed offsets), for every group that committed offsets.
 */
final class GroupLag {
    private static final Logger LOG = LoggerFactory.getLogger(GroupLag.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private volatile ObjectNode latest = empty(null);
    private volatile boolean warned;

    GroupLag(Admin admin) {
        this.admin = admin;
    }

    ObjectNode json() {
        return latest;
    }

    /** Reads every group's lag once (called every few seconds by one thread). */
    void refresh() {
        try {
            ObjectNode json = empty(null);
            ArrayNode rows = json.putArray("lag");
            TreeSet<String> groups = new TreeSet<>();
            for (GroupListing g :
                    admin.listGroups(new ListGroupsOptions()).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                groups.add(g.groupId());
            }
            for (String group : groups) {
                TreeSet<String> topics = new TreeSet<>();
                try {
                    admin
                            .listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .keySet()
                            .stream()
                            .map(TopicPartition::topic)
                            .forEach(topics::add);
                } catch (ExecutionException e) {
                    continue; // not a consumer group, or gone
                }
                for (String topic : topics) {
                    LagProbe.Reading reading = new LagProbe(admin, group, List.of(topic), TIMEOUT).read();
                    ObjectNode row = rows.addObject();
                    row.put("group", group);
                    row.put("topic", topic);
                    row.put("lag", reading.lag());
                    row.put("partitions", reading.partitions());
                }
            }
            latest = json;
            warned = false;
        } catch (ExecutionException | TimeoutException e) {
            if (!warned) {
                LOG.warn("cannot read the consumer groups' lag: {}", e.toString());
                warned = true;
            }
            latest = empty(e.getCause() == null ? e.toString() : e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode empty(String problem) {
        ObjectNode json = ModelsJson.object();
        if (problem != null) {
            json.put("problem", problem);
            json.putArray("lag");
        }
        return json;
    }
}
