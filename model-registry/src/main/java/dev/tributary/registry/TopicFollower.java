package dev.tributary.registry;

import dev.tributary.schema.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a small topic (the registry, the writer schemas) from its beginning in a background
 * thread, {@code read_committed}, without a consumer group, handing each record to a {@link Sink}.
 * Records the sink cannot use are logged in one line and skipped.
 *
 * <pre>{@code
 * try (TopicFollower f = new TopicFollower(Map.of("bootstrap.servers", bootstrap), "tributary.schemas", sink).start()) {
 *   f.awaitCaughtUp(Duration.ofSeconds(5));   // every record committed before the call has been applied
 * }
 * }</pre>
 *
 * <p>A new record reaches the sink one fetch round trip after it is committed (polls wait at most
 * {@value #POLL_MS} ms). {@link #awaitCaughtUp} asks the broker for the topic's end offsets with an
 * admin client (created on first use), so that request never queues behind the follower's own
 * long-polling fetch. If the topic does not exist yet the follower keeps looking for it quietly
 * (logged once); if the broker cannot be reached it keeps retrying (logged once per outage, see
 * {@link #problem()}).
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static final long POLL_MS = 100;
    /** How long one poll waits for new records: bounds how late a new version reaches the view. */
    static final Duration POLL = Duration.ofMillis(POLL_MS);
    /** How often a missing topic is looked for again. */
    static final Duration TOPIC_RETRY = Duration.ofMillis(250);
    /** Bound of each metadata request the thread makes. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    /** Applies one record of the topic; a record it throws on (e.g. {@link DecodeException}) is logged and skipped. */
    @FunctionalInterface
    public interface Sink {
        void apply(ConsumerRecord<byte[], byte[]> record);
    }

    private final Map<String, Object> clientProperties;
    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Sink sink;
    private final String bootstrap;
    private final String clientId;
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread thread;

    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile String problem;
    private Admin admin; // guarded by this

    /** Guards {@link #positions}; notified whenever the thread has applied more of the topic. */
    private final Object progress = new Object();
    /** Next offset to read of each assigned partition, after applying all before it; published by the thread. */
    private Map<TopicPartition, Long> positions = Map.of();

    // Owned by the follower thread only.
    private final List<TopicPartition> assigned = new ArrayList<>();
    private boolean missingTopicLogged;
    private long applied;
    private long skipped;

    /**
     * @param clientProperties Kafka client settings: {@code bootstrap.servers} and whatever else the
     *     cluster needs (security settings are passed through as they are)
     * @param topic the topic to follow
     * @param sink applies each record, on the follower's thread
     */
    public TopicFollower(Map<String, Object> clientProperties, String topic, Sink sink) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
        Object servers = clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null) {
            throw new IllegalArgumentException("the client properties have no bootstrap.servers");
        }
        this.bootstrap = String.valueOf(servers);
        this.clientId = clientProperties.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "tributary") + "-follower-"
                + INSTANCES.incrementAndGet();
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Never let a read create the topic with the broker's defaults (not compacted).
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        this.consumerConfig = config;
        this.thread = new Thread(this::run, "tributary-follower-" + topic);
        this.thread.setDaemon(true);
    }

    /** Starts reading the topic in the background; returns this. */
    public TopicFollower start() {
        if (!running) {
            throw new IllegalStateException("the follower of " + topic + " is closed");
        }
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
        return this;
    }

    public String topic() {
        return topic;
    }

    /** Why the follower cannot currently read (for example, the broker cannot be reached), if so. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Waits until the sink has applied every committed record that the topic held when this was
     * called (its {@code read_committed} end offsets). True at once if the topic does not exist. False if that did not happen within {@code timeout} (for example, the
     * broker cannot be reached: see {@link #problem()}) or if the follower is closed. Thread-safe;
     * costs one offsets request to the broker.
     *
     * @throws IllegalStateException if {@link #start()} was not called
     */
    public boolean awaitCaughtUp(Duration timeout) {
        if (!started.get()) {
            throw new IllegalStateException("call start() before awaitCaughtUp()");
        }
        if (!running) {
            return false;
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        try {
            Map<TopicPartition, Long> targets = endOffsets(deadline);
            if (targets == null) {
                return running; // no such topic
            }
            synchronized (progress) {
                while (running) {
                    if (reached(targets)) {
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                }
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            unreachable(e);
            return false;
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                unreachable(cause);
            } else if (running) {
                LOG.warn("follower of {}: cannot read the topic's end offsets: {}", topic, cause.toString());
            }
            return false;
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            if (t.getValue() <= 0) {
                continue;
            }
            Long at = positions.get(t.getKey());
            if (at == null || at < t.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The topic's read_committed end offsets now, or null if it does not exist. */
    private Map<TopicPartition, Long> endOffsets(long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Admin a = admin();
        List<TopicPartition> partitions;
        synchronized (progress) {
            partitions = new ArrayList<>(positions.keySet());
        }
        if (partitions.isEmpty()) {
            Map<String, TopicDescription> described;
            try {
                described = a.describeTopics(
                                List.of(topic), new DescribeTopicsOptions().timeoutMs(millisUntil(deadline)))
                        .allTopicNames()
                        .get(millisUntil(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    reachable();
                    return null;
                }
                throw e;
            }
            for (TopicPartitionInfo p : described.get(topic).partitions()) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            LockSupport.unpark(thread); // the topic exists: let the thread look for it now
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
        try {
            ends = a.listOffsets(
                            latest,
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(millisUntil(deadline)))
                    .all()
                    .get(millisUntil(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                reachable();
                return null;
            }
            throw e;
        }
        reachable();
        Map<TopicPartition, Long> targets = new HashMap<>();
        ends.forEach((tp, info) -> targets.put(tp, info.offset()));
        return targets;
    }

    private static int millisUntil(long deadline) {
        return (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    private synchronized Admin admin() {
        if (!running) {
            throw new KafkaException("the follower of " + topic + " is closed");
        }
        if (admin == null) {
            admin = Admin.create(
                    Clients.adminConfig(clientProperties, "follower-admin-" + INSTANCES.incrementAndGet()));
        }
        return admin;
    }

    /** Stops the thread promptly (it does not wait for in-flight reads) and releases its clients. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        LockSupport.unpark(thread);
        synchronized (progress) {
            progress.notifyAll();
        }
        if (started.get() && Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the follower of {} did not stop within 5 s", topic);
            }
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        }
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> c;
        try {
            c = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            problem = "cannot create a Kafka consumer for " + bootstrap + ": " + e.getMessage();
            LOG.error("follower of {} cannot start: {}", topic, problem, e);
            running = false;
            return;
        }
        consumer = c;
        try {
            while (running) {
                try {
                    step(c);
                } catch (WakeupException e) {
                    // close(): the loop condition ends it
                } catch (InterruptException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    unreachable(e);
                    LockSupport.parkNanos(POLL.toNanos());
                } catch (KafkaException e) {
                    LOG.warn("follower of {}: {}; retrying", topic, e.toString());
                    LockSupport.parkNanos(TOPIC_RETRY.toNanos());
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("follower of {} stopped unexpectedly: {}", topic, e.toString(), e);
            throw e;
        } finally {
            running = false;
            consumer = null;
            synchronized (progress) {
                progress.notifyAll();
            }
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            } catch (RuntimeException e) {
                LOG.debug("closing the registry follower's consumer", e);
            }
            LOG.debug("follower of {} stopped after applying {} records ({} skipped)", topic, applied, skipped);
        }
    }

    private void step(KafkaConsumer<byte[], byte[]> c) {
        if (assigned.isEmpty() && !assign(c)) {
            LockSupport.parkNanos(TOPIC_RETRY.toNanos());
            return;
        }
        ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            applyRecord(r);
        }
        publishPositions(c);
    }

    /** Looks the topic up and assigns all its partitions from the beginning; false if it does not exist. */
    private boolean assign(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> partitions = c.partitionsFor(topic, REQUEST_TIMEOUT);
        reachable();
        if (partitions == null || partitions.isEmpty()) {
            if (!missingTopicLogged) {
                LOG.info("topic {} does not exist yet at {}; waiting for it", topic, bootstrap);
                missingTopicLogged = true;
            }
            return false;
        }
        for (PartitionInfo p : partitions) {
            assigned.add(new TopicPartition(p.topic(), p.partition()));
        }
        c.assign(assigned);
        c.seekToBeginning(assigned);
        if (missingTopicLogged) {
            LOG.info("topic {} found; reading it", topic);
        }
        return true;
    }

    /** Publishes how far the sink has got, for {@link #awaitCaughtUp}. */
    private void publishPositions(KafkaConsumer<byte[], byte[]> c) {
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition tp : assigned) {
            try {
                now.put(tp, c.position(tp, Duration.ZERO)); // known after a poll; no request
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // not known yet: leave it out
            }
        }
        synchronized (progress) {
            if (!now.equals(positions)) {
                positions = Map.copyOf(now);
                progress.notifyAll();
            }
        }
    }

    private void applyRecord(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        try {
            sink.apply(r);
            applied++;
        } catch (
                RuntimeException
                        e) { // DecodeException, IllegalArgumentException: one bad record never stops the follower
            skipped++;
            LOG.warn(
                    "record {}-{}@{} with key '{}' skipped: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    printable(key),
                    e.getMessage());
        }
    }

    private void unreachable(Throwable e) {
        if (problem == null) {
            problem = "the Kafka broker at " + bootstrap + " could not be reached";
            LOG.warn(
                    "follower of {}: {}{}; retrying",
                    topic,
                    problem,
                    e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
    }

    private void reachable() {
        if (problem != null) {
            LOG.info("follower of {}: the broker at {} is reachable again", topic, bootstrap);
            problem = null;
        }
    }

    private static String printable(String key) {
        if (key == null) {
            return "(null)";
        }
        String shown = key.length() > 200 ? key.substring(0, 200) + "..." : key;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
