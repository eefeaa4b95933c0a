package dev.tributary.database;

import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.AvroCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts a function's predictions into a table of the trigger's database, so a SQL user reads them
 * with SQL: one row per event id (event id, model, version, value, class, time), created if missing.
 * It reads the function's output topic {@code read_committed} as the consumer group
 * {@code APPLICATION-ID-sink} and commits its offsets after the database transaction, so a restart
 * writes a prediction again at most, which the upsert by id makes harmless.
 */
public final class PredictionSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionSink.class);

    private final String table;
    private final Postgres postgres;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
    private final Thread thread;
    private volatile boolean running = true;

    private PredictionSink(String table, Postgres postgres, KafkaConsumer<byte[], byte[]> consumer, String function) {
        this.table = table;
        this.postgres = postgres;
        this.consumer = consumer;
        this.thread = new Thread(this::loop, "tributary-sink-" + function);
        thread.setDaemon(true);
    }

    /** Creates the table if missing (failing with what to do) and starts upserting what {@code output} receives. */
    public static PredictionSink start(
            String function,
            String table,
            Postgres postgres,
            String output,
            String applicationId,
            Map<String, Object> clientProps) {
        try (Connection c = postgres.connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS " + table + " (event_id text PRIMARY KEY, model text NOT NULL, "
                            + "version bigint NOT NULL, value double precision NOT NULL, class integer, scored_at timestamptz NOT NULL)");
        } catch (SQLException e) {
            throw new DatabaseException(
                    "cannot create the sink table " + table + " (" + Postgres.firstLine(e) + "): create "
                            + "it, or grant CREATE on its schema to the trigger's role",
                    e);
        }
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put("group.id", applicationId + "-sink");
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", false);
        props.put("auto.offset.reset", "earliest");
        // A killed instance's sink holds its partitions until its session times out: keep that short, so a restarted
        // instance writes the table again within seconds, as its functions do.
        props.putIfAbsent("session.timeout.ms", 10_000);
        props.putIfAbsent("heartbeat.interval.ms", 3_000);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(output));
        PredictionSink sink = new PredictionSink(table, postgres, consumer, function);
        sink.thread.start();
        return sink;
    }

    private void loop() {
        Connection c = null;
        while (running) {
            try {
                if (c == null) {
                    c = postgres.connect();
                    c.setAutoCommit(false);
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                upsert(c, records);
                c.commit();
                consumer.commitSync();
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                break;
            } catch (SQLException | DatabaseException e) {
                LOG.warn(
                        "Writing predictions to {} failed ({}); again from the last committed offset",
                        table,
                        e.getMessage());
                close(c);
                c = null;
                consumer.committed(consumer.assignment())
                        .forEach((tp, offset) -> consumer.seek(tp, offset == null ? 0 : offset.offset()));
                sleep();
            }
        }
        close(c);
        consumer.close();
    }

    private void upsert(Connection c, ConsumerRecords<byte[], byte[]> records) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO " + table + " (event_id, model, version, value, class, "
                        + "scored_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET model = EXCLUDED.model, "
                        + "version = EXCLUDED.version, value = EXCLUDED.value, class = EXCLUDED.class, scored_at = EXCLUDED.scored_at")) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                Prediction p;
                try {
                    p = codec.decode(r.value());
                } catch (RuntimeException e) {
                    LOG.warn("Skipping a record of {} that is not a prediction: {}", r.topic(), e.getMessage());
                    continue;
                }
                s.setString(1, p.getEventId());
                s.setString(2, p.getModel());
                s.setLong(3, p.getModelVersion());
                s.setDouble(4, p.getValue());
                if (p.getPredictedClass() == null) {
                    s.setNull(5, java.sql.Types.INTEGER);
                } else {
                    s.setInt(5, p.getPredictedClass());
                }
                s.setTimestamp(6, new Timestamp(p.getScoredAt()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // being replaced
            }
        }
    }

    private static void sleep() {
        try {
            TimeUnit.SECONDS.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
