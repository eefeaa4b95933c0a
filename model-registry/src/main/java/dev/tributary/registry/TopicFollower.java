package dev.tributary.registry;

import dev.tributary.schema.serde.DecodeException;
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
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
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

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final String bootstrap;
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread thread;
    private final BrokerReachability reachability;
    private final CommittedEndOffsets endOffsets;
    /** Notified whenever the thread has applied more of the topic. */
    private final ReadProgress progress = new ReadProgress();

    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    // Owned by the follower thread only.
    private final SkippingSink sink;
    private final List<TopicPartition> assigned = new ArrayList<>();
    private boolean missingTopicLogged;

    /**
     * @param clientProperties Kafka client settings: {@code bootstrap.servers} and whatever else the
     *     cluster needs (security settings are passed through as they are)
     * @param topic the topic to follow
     * @param sink applies each record, on the follower's thread
     */
    public TopicFollower(Map<String, Object> clientProperties, String topic, Sink sink) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.sink = new SkippingSink(Objects.requireNonNull(sink, "sink"));
        Map<String, Object> properties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
        Object servers = clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null) {
            throw new IllegalArgumentException("the client properties have no bootstrap.servers");
        }
        this.bootstrap = String.valueOf(servers);
        this.reachability = new BrokerReachability(topic, bootstrap);
        this.endOffsets = new CommittedEndOffsets(properties, topic, reachability);
        this.consumerConfig = consumerConfig(clientProperties, INSTANCES.incrementAndGet());
        this.thread = new Thread(this::run, "tributary-follower-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * The consumer settings of a follower: read_committed from the earliest offset, no group, no
     * commits, and never a topic created by a read (the broker's defaults are not compacted).
     */
    static Map<String, Object> consumerConfig(Map<String, Object> clientProperties, int instance) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientProperties.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "tributary") + "-follower-" + instance);
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return config;
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
        return reachability.problem();
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
            List<TopicPartition> partitions = progress.partitions();
            boolean topicUnseen = partitions.isEmpty();
            Map<TopicPartition, Long> targets = endOffsets.of(partitions, deadline);
            if (targets == null) {
                return running; // no such topic
            }
            if (topicUnseen) {
                LockSupport.unpark(thread); // the topic exists: let the thread look for it now
            }
            return progress.awaitReached(targets, deadline, () -> running);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            reachability.unreachable(e);
            return false;
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                reachability.unreachable(cause);
            } else if (running) {
                LOG.warn("follower of {}: cannot read the topic's end offsets: {}", topic, cause.toString());
            }
            return false;
        }
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
        progress.wakeAll();
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
        endOffsets.close();
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> c;
        try {
            c = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            reachability.failed("cannot create a Kafka consumer for " + bootstrap + ": " + e.getMessage());
            LOG.error(
                    "follower of {} cannot start: {}",
                    topic,
                    reachability.problem().orElse(""),
                    e);
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
                    reachability.unreachable(e);
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
            progress.wakeAll();
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            } catch (RuntimeException e) {
                LOG.debug("closing the registry follower's consumer", e);
            }
            LOG.debug(
                    "follower of {} stopped after applying {} records ({} skipped)",
                    topic,
                    sink.applied(),
                    sink.skipped());
        }
    }

    private void step(KafkaConsumer<byte[], byte[]> c) {
        if (assigned.isEmpty() && !assign(c)) {
            LockSupport.parkNanos(TOPIC_RETRY.toNanos());
            return;
        }
        ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            sink.apply(r);
        }
        publishPositions(c);
    }

    /** Looks the topic up and assigns all its partitions from the beginning; false if it does not exist. */
    private boolean assign(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> partitions = c.partitionsFor(topic, REQUEST_TIMEOUT);
        reachability.reachable();
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
        progress.publish(now);
    }
}
