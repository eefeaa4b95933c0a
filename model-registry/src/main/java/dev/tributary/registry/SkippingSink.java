package dev.tributary.registry;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each record to a {@link TopicFollower.Sink}; a record the sink throws on is logged in one
 * line (its key made printable) and skipped, so one bad record never stops a follower. Counts both.
 * Used by the follower's thread only.
 */
final class SkippingSink {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final int KEY_SHOWN = 200;

    private final TopicFollower.Sink sink;
    private long applied;
    private long skipped;

    SkippingSink(TopicFollower.Sink sink) {
        this.sink = sink;
    }

    void apply(ConsumerRecord<byte[], byte[]> r) {
        try {
            sink.apply(r);
            applied++;
        } catch (RuntimeException e) { // DecodeException, IllegalArgumentException, ...
            skipped++;
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            LOG.warn(
                    "record {}-{}@{} with key '{}' skipped: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    printable(key),
                    e.getMessage());
        }
    }

    long applied() {
        return applied;
    }

    long skipped() {
        return skipped;
    }

    /** The key as a log line may show it: at most 200 characters, control characters as '?'. */
    static String printable(String key) {
        if (key == null) {
            return "(null)";
        }
        String shown = key.length() > KEY_SHOWN ? key.substring(0, KEY_SHOWN) + "..." : key;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
