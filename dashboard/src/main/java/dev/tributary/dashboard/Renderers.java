package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.UsageRecord;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How records become JSON. The command line passes its own renderers, so the dashboard shows a
 * version, a dead letter and a bill exactly as {@code tributary models show}, {@code consume} and
 * {@code usage} print them.
 */
public interface Renderers {
    /** A version with its weights by feature, metrics, lineage and promotion decision. */
    ObjectNode version(ModelVersion version);

    /** A raw record (a dead letter): key, value (text or base64), headers. */
    ObjectNode record(ConsumerRecord<byte[], byte[]> record);

    /**
     * The bill of these usage records, grouped by {@code by} (function, model, instance), with
     * {@code rows} and {@code total}.
     */
    ObjectNode bill(List<UsageRecord> records, List<String> by);
}
