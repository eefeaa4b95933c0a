package dev.tributary.functions;

import dev.tributary.schema.OffsetRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The input offsets a model learned since its last publication: for each topic and partition, the
 * first and the last. Adding an offset of the same partition as the one before (most are: a batch
 * comes from one score task) allocates nothing.
 */
final class LearnedOffsets {
    private static final class Range {
        final String topic;
        final int partition;
        long from;
        long to;

        Range(String topic, int partition, long from, long to) {
            this.topic = topic;
            this.partition = partition;
            this.from = from;
            this.to = to;
        }
    }

    /** By {@code topic/partition}. */
    private final Map<String, Range> ranges = new HashMap<>();

    private Range last;

    void add(String topic, int partition, long offset) {
        add(topic, partition, offset, offset);
    }

    void add(OffsetRange r) {
        add(r.getTopic(), r.getPartition(), r.getFromOffset(), r.getToOffset());
    }

    void addAll(LearnedOffsets other) {
        other.ranges.values().forEach(r -> add(r.topic, r.partition, r.from, r.to));
    }

    private void add(String topic, int partition, long from, long to) {
        Range r = last;
        if (r == null || r.partition != partition || !r.topic.equals(topic)) {
            r = ranges.get(topic + "/" + partition);
            if (r == null) {
                r = new Range(topic, partition, from, to);
                ranges.put(topic + "/" + partition, r);
            }
            last = r;
        }
        r.from = Math.min(r.from, from);
        r.to = Math.max(r.to, to);
    }

    List<OffsetRange> ranges() {
        List<OffsetRange> list = new ArrayList<>(ranges.size());
        for (Range r : ranges.values()) {
            list.add(new OffsetRange(r.topic, r.partition, r.from, r.to));
        }
        return list;
    }

    void clear() {
        ranges.clear();
        last = null;
    }
}
