package dev.tributary.bench;

import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer of the predictions topic that times each prediction: its receive
 * time (when {@code poll} returned it, this machine's clock) minus the event's timestamp (set by the
 * producer when the event was made, same clock). It also notes when each model version was first seen.
 */
final class PredictionReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
    private final Thread thread;
    private final Percentiles latencies = new Percentiles();
    private final Map<Long, Long> firstSeen = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile long from = Long.MAX_VALUE;
    private volatile long to = Long.MAX_VALUE;
    private volatile boolean running = true;
    private Freshness freshness;

    PredictionReader(Map<String, Object> clientProperties, String topic) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(15)));
        this.thread = new Thread(this::run, "tributary-bench-prediction-reader");
        this.thread.setDaemon(true);
    }

    PredictionReader start() {
        thread.start();
        return this;
    }

    /** Records the latency of the events whose timestamps fall in [from, to) (epoch ms). */
    void window(long fromMs, long toMs) {
        this.to = toMs;
        this.from = fromMs;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                if (records.isEmpty()) {
                    continue;
                }
                synchronized (latencies) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        Prediction p = codec.decode(r.value());
                        long t = p.getEventTimestamp();
                        if (t >= from && t < to) {
                            latencies.add(now - t);
                            if (freshness != null) {
                                freshness.add(p);
                            }
                        }
                        firstSeen.putIfAbsent(p.getModelVersion(), now);
                    }
                }
                received.addAndGet(records.count());
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    long received() {
        return received.get();
    }

    /** When a prediction stamped with this model version was first received (epoch ms), or null. */
    Long firstSeen(long version) {
        return firstSeen.get(version);
    }

    /** Also records the freshness of the predictions whose latency is recorded. */
    void recordFreshness(Freshness f) {
        synchronized (latencies) {
            this.freshness = f;
        }
    }

    /** The freshness recorded so far, with the latency of the same predictions; null if none is recorded. */
    Freshness.Result freshness(String guarantee, double offeredRate) {
        synchronized (latencies) {
            return freshness == null ? null : freshness.result(guarantee, "steady", latencies.summary(), offeredRate);
        }
    }

    Percentiles.Summary summary() {
        synchronized (latencies) {
            return latencies.summary();
        }
    }

    void check() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("reading the predictions failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
