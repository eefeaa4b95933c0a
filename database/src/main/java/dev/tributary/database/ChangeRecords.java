package dev.tributary.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.database.RowMapper.DeadLetter;
import dev.tributary.database.RowMapper.Emit;
import dev.tributary.database.RowMapper.Feedback;
import dev.tributary.database.RowMapper.Ignored;
import dev.tributary.database.RowMapper.Outcome;
import dev.tributary.functions.DeadLetters;
import dev.tributary.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka record a row change becomes: an event on the function's topic, feedback on its feedback
 * topic, or a dead letter carrying the row as JSON and the reason; each with the change's commit
 * position in the header {@value #POSITION_HEADER}. Counts every outcome, ignored ones included.
 *
 * <pre>{@code
 * ChangeRecords records = new ChangeRecords("houses", "public.houses", "tributary.db.houses",
 *     "tributary.dead-letters", stats);
 * records.add(mapper.map(change), change.row(), commitLsn, transaction);
 * }</pre>
 */
final class ChangeRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String POSITION_HEADER = "tributary.db.lsn";

    private final String function;
    private final String table;
    private final String topic;
    private final String feedbackTopic;
    private final String deadLetterTopic;
    private final CaptureStats stats;

    ChangeRecords(String function, String table, String topic, String deadLetterTopic, CaptureStats stats) {
        this.function = function;
        this.table = table;
        this.topic = topic;
        this.feedbackTopic = Topics.feedbackOf(topic);
        this.deadLetterTopic = deadLetterTopic;
        this.stats = stats;
    }

    /** Adds to {@code out} the record for {@code outcome} of {@code row}, committed at {@code lsn}, if any. */
    void add(Outcome outcome, Map<String, String> row, long lsn, List<ProducerRecord<byte[], byte[]>> out) {
        ProducerRecord<byte[], byte[]> r;
        if (outcome instanceof Emit e) {
            r = new ProducerRecord<>(topic, bytes(e.id()), e.json());
            stats.events.incrementAndGet();
        } else if (outcome instanceof Feedback f) {
            byte[] json = JSON.createObjectNode()
                    .put("id", f.id())
                    .put("model", f.model())
                    .put("label", f.label())
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
            r = new ProducerRecord<>(feedbackTopic, bytes(f.id()), json);
            stats.feedback.incrementAndGet();
        } else if (outcome instanceof DeadLetter d) {
            r = new ProducerRecord<>(deadLetterTopic, bytes(d.key()), rowJson(row));
            r.headers()
                    .add(DeadLetters.ERROR_CLASS, bytes(d.errorClass()))
                    .add(DeadLetters.ERROR_MESSAGE, bytes(d.reason()))
                    .add(DeadLetters.STAGE, bytes("database"))
                    .add(DeadLetters.SOURCE_TOPIC, bytes(table));
            stats.deadLetters.incrementAndGet();
            LOG.warn("Function '{}': dead letter {}: {}", function, d.errorClass(), d.reason());
        } else {
            (((Ignored) outcome).why().equals("delete") ? stats.deletes : stats.unchanged).incrementAndGet();
            return;
        }
        r.headers().add(POSITION_HEADER, bytes(LogSequenceNumber.valueOf(lsn).asString()));
        out.add(r);
    }

    private static byte[] rowJson(Map<String, String> row) {
        try {
            return JSON.writeValueAsBytes(row);
        } catch (JsonProcessingException e) {
            return bytes(row.toString());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
