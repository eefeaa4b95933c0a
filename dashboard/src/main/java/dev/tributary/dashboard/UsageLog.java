package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.AvroCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The usage topic in memory (the newest {@link #KEPT} records): the bill over a range, and events
 * per second per model from the last intervals. Fed by a {@code TopicFollower}; thread-safe.
 */
final class UsageLog {
    static final int KEPT = 500_000;
    /** Events per second are averaged over the intervals that ended this long before the newest one. */
    static final long RATE_WINDOW_MS = 30_000;

    private final AvroCodec<UsageRecord> codec = AvroCodec.of(UsageRecord.class);
    private final Renderers renderers;
    private final ArrayDeque<UsageRecord> records = new ArrayDeque<>();
    private long added;

    UsageLog(Renderers renderers) {
        this.renderers = renderers;
    }

    /** A record of the topic; one that is not a usage record is skipped (the follower logs it). */
    void add(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        add(codec.decode(r.value()));
    }

    synchronized void add(UsageRecord record) {
        records.addLast(record);
        added++;
        if (records.size() > KEPT) {
            records.removeFirst();
        }
    }

    synchronized long added() {
        return added;
    }

    /**
     * The bill of the intervals ending in [from, to), as {@code tributary usage --since FROM --until TO}
     * adds it up; {@code from} may be null (everything kept).
     */
    ObjectNode bill(Long from, long to, List<String> by) {
        List<UsageRecord> range = new ArrayList<>();
        synchronized (this) {
            for (UsageRecord r : records) {
                if ((from == null || r.getIntervalEnd() >= from) && r.getIntervalEnd() < to) {
                    range.add(r);
                }
            }
        }
        ObjectNode bill = renderers.bill(range, by);
        if (from == null) {
            bill.putNull("from");
        } else {
            bill.put("from", from);
        }
        bill.put("until", to);
        return bill;
    }

    /**
     * Events per second the score functions handled for {@code model}: the invocations of the
     * intervals that ended within {@link #RATE_WINDOW_MS} before {@code nowMillis}, over the time
     * those intervals cover.
     */
    synchronized double eventsPerSecond(String model, long nowMillis) {
        long invocations = 0;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        var it = records.descendingIterator();
        while (it.hasNext()) {
            UsageRecord r = it.next();
            if (r.getIntervalEnd() <= nowMillis - RATE_WINDOW_MS) {
                break;
            }
            if (r.getModel().equals(model) && r.getIntervalEnd() <= nowMillis) {
                invocations += r.getInvocations();
                start = Math.min(start, r.getIntervalStart());
                end = Math.max(end, r.getIntervalEnd());
            }
        }
        return end > start ? invocations * 1000.0 / (end - start) : 0;
    }
}
