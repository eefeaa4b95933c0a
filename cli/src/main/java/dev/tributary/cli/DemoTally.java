package dev.tributary.cli;

import dev.tributary.schema.Prediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed predictions (per model) and dead letters that appear after the demo
 * starts, on its own thread: the demo is complete when every event it sent has one or the other.
 * It also queues which events of the models that learn from feedback have been scored ({@link
 * #nextScored}), so that their labels follow their predictions.
 */
final class DemoTally implements AutoCloseable {
    /** An event of a model that learns from feedback, scored. */
    record Scored(String model, String eventId) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Set<String> models;
    private final AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
    private final Map<String, LongAdder> predictions = new ConcurrentHashMap<>();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Set<String> feedbackModels;
    private final Queue<Scored> scored = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile Throwable failure;

    /**
     * Fixes the starting offsets now (the topics' ends), before any demo event is sent.
     *
     * @param feedbackModels the models whose scored events are queued for {@link #nextScored}
     */
    DemoTally(Map<String, Object> clientProperties, Topics topics, Set<String> models, Set<String> feedbackModels) {
        this.topics = topics;
        this.models = models;
        this.feedbackModels = Set.copyOf(feedbackModels);
        models.forEach(m -> predictions.put(m, new LongAdder()));
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-demo-tally");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Kafka.TIMEOUT.toMillis());
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.predictions(), topics.deadLetters())) {
            consumer.partitionsFor(topic, Kafka.TIMEOUT)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "tributary-demo-tally");
        this.thread.setDaemon(true);
    }

    DemoTally start() {
        started = true;
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(topics.deadLetters())) {
                        deadLetters.incrementAndGet();
                    } else {
                        Prediction p = codec.decode(r.value());
                        LongAdder count = predictions.get(p.getModel());
                        if (count != null) {
                            count.increment();
                        }
                        if (feedbackModels.contains(p.getModel())) {
                            scored.add(new Scored(p.getModel(), p.getEventId()));
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    long predictions(String model) {
        LongAdder count = predictions.get(model);
        return count == null ? 0 : count.sum();
    }

    long predictions() {
        return predictions.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The next scored event of a model that learns from feedback, or null for none yet. */
    Scored nextScored() {
        return scored.poll();
    }

    long deadLetters() {
        return deadLetters.get();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(Duration.ofSeconds(2));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
