package dev.tributary.database;

import dev.tributary.database.PgOutput.Change;
import dev.tributary.functions.spec.DatabaseTrigger;
import dev.tributary.schema.Topics;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one table's changes into its function's topic, {@code tributary.db.FUNCTION}: PostgreSQL
 * logical replication ({@code pgoutput}) from the function's slot, each committed database
 * transaction mapped row by row ({@link RowMapper}) and written in one Kafka transaction together
 * with its commit position ({@link CaptureOffsets}); only then is the position confirmed to the slot.
 * A restart resumes from the slot and skips what Kafka already holds, so a change is neither lost nor
 * written twice. A new slot with {@code startFrom: snapshot} first writes the rows already in the
 * table, read in the slot's exported snapshot, so no row is missed between the two. While nothing of
 * the table changes the slot is still moved on to what the server sent (a heartbeat), so it does
 * not hold back the WAL of other tables' changes.
 */
public final class ChangeCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration RETRY = Duration.ofSeconds(5);

    private final String function;
    private final DatabaseTrigger trigger;
    private final Postgres postgres;
    private final RowMapper.Factory mappers;
    private final Map<String, Object> producerProps;
    private final String topic;
    private final Map<String, Object> clientProps;
    private final CaptureStats stats = new CaptureStats();
    private final ChangeRecords records;
    private final java.util.function.Consumer<DatabaseException> onFailure;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private int failuresInARow;

    private ChangeCapture(
            String function,
            DatabaseTrigger trigger,
            Postgres postgres,
            RowMapper.Factory mappers,
            Map<String, Object> clientProps,
            Topics topics,
            java.util.function.Consumer<DatabaseException> onFailure) {
        this.function = function;
        this.onFailure = onFailure;
        this.trigger = trigger;
        this.postgres = postgres;
        this.mappers = mappers;
        this.clientProps = clientProps;
        this.topic = DatabaseTrigger.topic(function);
        this.records = new ChangeRecords(function, trigger.table(), topic, deadLetterTopic(trigger, topics), stats);
        this.producerProps = new HashMap<>(clientProps);
        producerProps.put("transactional.id", "tributary-db-" + function);
        producerProps.put("enable.idempotence", true);
        producerProps.put("acks", "all");
        this.thread = new Thread(this::loop, "tributary-db-" + function);
        thread.setDaemon(true);
    }

    /**
     * Checks the database (failing with what to set) and starts capturing in a thread of its own.
     *
     * @param mappers the row mapper, given the table's primary key columns
     * @param onFailure told when the capture stops for good after the start (the slot dropped, say)
     */
    public static ChangeCapture start(
            String function,
            DatabaseTrigger trigger,
            Postgres postgres,
            RowMapper.Factory mappers,
            Map<String, Object> clientProps,
            Topics topics,
            java.util.function.Consumer<DatabaseException> onFailure) {
        try (Connection c = postgres.connect()) {
            postgres.prepare(c);
        } catch (SQLException e) {
            throw new DatabaseException("cannot close the connection to " + trigger.url() + ": " + e.getMessage(), e);
        }
        ChangeCapture capture = new ChangeCapture(function, trigger, postgres, mappers, clientProps, topics, onFailure);
        capture.thread.start();
        return capture;
    }

    public CaptureStats stats() {
        return stats;
    }

    /** Why the capture stopped, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void loop() {
        while (running) {
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                capture(producer);
            } catch (DatabaseException e) {
                failure = e;
                LOG.error("Function '{}': the database trigger stopped: {}", function, e.getMessage());
                onFailure.accept(e);
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                int retries = trigger.delivery().retries();
                if (retries >= 0 && ++failuresInARow > retries) {
                    DatabaseException stop = new DatabaseException(
                            "capturing " + trigger.table() + " failed " + failuresInARow + " times in a row (retries: "
                                    + retries + "), the last time with " + e
                                    + ": fix the cause and start the function again",
                            e);
                    failure = stop;
                    LOG.error("Function '{}': the database trigger stopped: {}", function, stop.getMessage());
                    onFailure.accept(stop);
                    return;
                }
                LOG.warn(
                        "Function '{}': capturing {} failed ({}); again in {} s",
                        function,
                        trigger.table(),
                        e.toString(),
                        RETRY.toSeconds());
                sleep(RETRY);
            }
        }
    }

    private void capture(KafkaProducer<byte[], byte[]> producer) throws Exception {
        try (Connection sql = postgres.connect();
                Connection replication = postgres.replication()) {
            RowMapper mapper = mappers.create(postgres.prepare(sql));
            Optional<Long> written = CaptureOffsets.read(clientProps, function, Duration.ofSeconds(30));
            String slotState = Postgres.single(
                    sql, "SELECT active::text FROM pg_replication_slots WHERE slot_name = '" + postgres.slot() + "'");
            if (slotState != null && written.isEmpty()) {
                LOG.info(
                        "Function '{}': slot {} has no position in Kafka (a first start that did not finish): creating it again",
                        function,
                        postgres.slot());
                execute(sql, "SELECT pg_drop_replication_slot('" + postgres.slot() + "')");
                slotState = null;
            }
            if (slotState == null && written.isPresent()) {
                throw new DatabaseException("the replication slot " + postgres.slot()
                        + " is gone although Kafka holds the "
                        + "position of function '" + function
                        + "' (changes since were not kept): to start again from the table, "
                        + "delete the key " + function + " of " + CaptureOffsets.TOPIC + " (a tombstone) and restart");
            }
            PGConnection pg = replication.unwrap(PGConnection.class);
            long position;
            if (slotState == null) {
                ReplicationSlotInfo slot = pg.getReplicationAPI()
                        .createReplicationSlot()
                        .logical()
                        .withSlotName(postgres.slot())
                        .withOutputPlugin("pgoutput")
                        .make();
                position = slot.getConsistentPoint().asLong();
                List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
                if (trigger.startFrom() == DatabaseTrigger.StartFrom.SNAPSHOT) {
                    TableSnapshot.read(
                            sql,
                            trigger.table(),
                            slot.getSnapshotName(),
                            row -> records.add(
                                    mapper.map(new Change(PgOutput.Operation.INSERT, trigger.table(), row, Map.of())),
                                    row,
                                    position,
                                    first));
                }
                first.add(CaptureOffsets.record(function, position));
                send(producer, first);
                LOG.info(
                        "Function '{}': slot {} created at {}{}",
                        function,
                        postgres.slot(),
                        slot.getConsistentPoint(),
                        trigger.startFrom() == DatabaseTrigger.StartFrom.SNAPSHOT
                                ? ", the table's rows written: " + stats
                                : "");
            } else if ("true".equals(slotState)) {
                LOG.info(
                        "Function '{}': slot {} is in use (another instance captures); standing by",
                        function,
                        postgres.slot());
                sleep(RETRY);
                return;
            } else {
                position = written.get();
            }
            stream(producer, pg, mapper, position);
        }
    }

    private void stream(KafkaProducer<byte[], byte[]> producer, PGConnection pg, RowMapper mapper, long written)
            throws Exception {
        PGReplicationStream stream = pg.getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(postgres.slot())
                .withSlotOption("proto_version", 1)
                .withSlotOption("publication_names", postgres.slot())
                .withStartPosition(LogSequenceNumber.valueOf(written))
                .withStatusInterval((int) HEARTBEAT.toSeconds(), TimeUnit.SECONDS)
                .start();
        LOG.info(
                "Function '{}': capturing {} from {} into {}",
                function,
                trigger.table(),
                LogSequenceNumber.valueOf(written),
                topic);
        PgOutput decoder = new PgOutput();
        ChangeBatch batch = new ChangeBatch(
                trigger.delivery().batchSize(), trigger.delivery().batchWindow());
        List<ProducerRecord<byte[], byte[]>> transaction = new ArrayList<>();
        long commitLsn = 0;
        long lastEnd = written;
        long heartbeatAt = System.nanoTime();
        while (running) {
            ByteBuffer message = stream.readPending();
            if (message == null) {
                if (batch.due(System.nanoTime())) {
                    lastEnd = flush(producer, stream, batch, lastEnd);
                } else if (batch.isEmpty()
                        && transaction.isEmpty()
                        && System.nanoTime() - heartbeatAt > HEARTBEAT.toNanos()) {
                    // nothing of the table pending: let the slot move on with the server (other tables' WAL)
                    LogSequenceNumber received = stream.getLastReceiveLSN();
                    if (received.asLong() > lastEnd) {
                        stream.setFlushedLSN(received);
                        stream.setAppliedLSN(received);
                        stream.forceUpdateStatus();
                    }
                    heartbeatAt = System.nanoTime();
                }
                sleep(Duration.ofMillis(20));
                continue;
            }
            PgOutput.Message m = decoder.decode(message);
            if (m instanceof PgOutput.Begin b) {
                commitLsn = b.commitLsn();
                transaction.clear();
            } else if (m instanceof Change change) {
                if (commitLsn <= written) {
                    stats.skipped.incrementAndGet();
                } else {
                    records.add(mapper.map(change), change.row(), commitLsn, transaction);
                }
            } else if (m instanceof PgOutput.Truncate) {
                stats.deletes.incrementAndGet();
            } else if (m instanceof PgOutput.Commit c) {
                if (c.commitLsn() > written) {
                    transaction.add(CaptureOffsets.record(function, c.commitLsn()));
                    batch.add(transaction, System.nanoTime());
                    written = c.commitLsn();
                    lastEnd = Math.max(lastEnd, c.endLsn());
                }
                transaction.clear();
                if (batch.full()) {
                    lastEnd = flush(producer, stream, batch, lastEnd);
                }
            }
        }
    }

    private long flush(
            KafkaProducer<byte[], byte[]> producer, PGReplicationStream stream, ChangeBatch batch, long lastEnd)
            throws SQLException {
        send(producer, batch.drain());
        failuresInARow = 0;
        LogSequenceNumber done = LogSequenceNumber.valueOf(lastEnd);
        stream.setFlushedLSN(done);
        stream.setAppliedLSN(done);
        stream.forceUpdateStatus();
        return lastEnd;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records) {
        producer.beginTransaction();
        records.forEach(producer::send);
        producer.commitTransaction();
    }

    /** Where the rows that cannot be used go: the trigger's {@code onFailure} topic, or the dead-letter topic. */
    static String deadLetterTopic(DatabaseTrigger trigger, Topics topics) {
        String chosen = trigger.delivery().onFailureTopic();
        return chosen != null ? chosen : topics.deadLetters();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Function '{}': capture of {} stopped: {}", function, trigger.table(), stats);
    }
}
