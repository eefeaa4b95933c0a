package dev.tributary.bench;

import dev.tributary.functions.FunctionStats;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Train + score with labels that come later. The input holds the same events as the other phases'
 * (same seed), without their labels, and its feedback topic holds each label as a {@link Feedback}
 * keyed by the event's id. Events are stamped {@value #STREAM_RATE} per second of stream time and
 * each label {@value #DELAY_MS} ms of stream time after its event; Kafka Streams takes a task's
 * records in timestamp order, so every label reaches the join after its event however fast the
 * input is read, with about {@value #STREAM_RATE} × {@value #DELAY_MS} / 1000 events waiting in the
 * pending-labels stores. The model is the other phases' with a label wait; the clock and the end are
 * {@link ThroughputPhase}'s over both topics and the train repartition topic, and the events/s
 * counts events (not events and labels).
 */
public final class FeedbackPhase {
    public static final String TOPOLOGY = "train+score, labels as feedback";
    /** Events per second of stream time (their record timestamps). */
    static final int STREAM_RATE = 10_000;
    /** How much later, in stream time, each label is stamped than its event. */
    public static final int DELAY_MS = 2_000;
    /** Longer than any phase: no wait ends during the run. */
    static final long LABEL_WAIT_MS = TimeUnit.MINUTES.toMillis(30);

    /** The delayed input: events and feedback topics, their end offsets together, and the event count. */
    record Input(Topics topics, Map<TopicPartition, Long> end, long events, double seconds) {}

    private FeedbackPhase() {}

    static ModelSpec spec(int features) {
        return ModelSpec.newBuilder(BenchRun.spec(features))
                .setLabelWaitMs(LABEL_WAIT_MS)
                .build();
    }

    /** Writes the unlabelled events to {@code PREFIX.delayed.events} and their labels to {@code PREFIX.delayed.feedback}. */
    static Input preload(Map<String, Object> client, Admin admin, String prefix, BenchSettings settings) {
        Topics topics = Topics.prefixed(prefix + ".delayed");
        Topics.create(
                admin,
                List.of(
                        new NewTopic(topics.events(), settings.partitions(), (short) -1),
                        new NewTopic(topics.feedback(), settings.partitions(), (short) -1)));
        AvroCodec<Event> events = AvroCodec.of(Event.class);
        AvroCodec<Feedback> labels = AvroCodec.of(Feedback.class);
        SyntheticStream stream = new SyntheticStream(
                BenchRun.MODEL, Algorithm.LOGISTIC_REGRESSION, settings.features(), settings.seed(), Long.MAX_VALUE);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        long base = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Preloader.producerProperties(client), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < settings.events() && failure.get() == null; i++) {
                Event e = stream.next();
                long at = base + i * 1000 / STREAM_RATE;
                byte[] key = e.getId().getBytes(StandardCharsets.UTF_8);
                Feedback label = new Feedback(e.getId(), e.getModel(), e.getLabel(), 0L);
                e.setLabel(null);
                producer.send(new ProducerRecord<>(topics.events(), null, at, key, events.encode(e)), (m, ex) -> {
                    if (ex != null) {
                        failure.compareAndSet(null, ex);
                    }
                });
                producer.send(
                        new ProducerRecord<>(topics.feedback(), null, at + DELAY_MS, key, labels.encode(label)),
                        (m, ex) -> {
                            if (ex != null) {
                                failure.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "preloading " + topics.events() + " failed: "
                            + failure.get().getMessage(),
                    failure.get());
        }
        List<TopicPartition> partitions = IntStream.range(0, settings.partitions())
                .boxed()
                .flatMap(p -> java.util.stream.Stream.of(
                        new TopicPartition(topics.events(), p), new TopicPartition(topics.feedback(), p)))
                .toList();
        Map<TopicPartition, Long> end = ThroughputPhase.endOffsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
        return new Input(topics, end, settings.events(), (System.nanoTime() - started) / 1e9);
    }

    /** One run of the score and train functions over the delayed input, under {@code guarantee}. */
    static ThroughputPhase.Result run(
            Map<String, Object> client,
            Admin admin,
            String prefix,
            Input input,
            String guarantee,
            BenchSettings settings,
            Path stateRoot,
            int timeoutSeconds,
            Consumer<String> progress)
            throws Exception {
        String key = Guarantees.shortName(guarantee) + "-delayed";
        Topics topics = new Topics(
                input.topics().events(),
                prefix + "." + key + ".out",
                prefix + "." + key + ".models",
                prefix + "." + key + ".dead-letters",
                prefix + "." + key + ".usage");
        topics.ensure(admin, settings.partitions());
        String applicationId = prefix + "-" + key;
        FunctionStats stats = new FunctionStats();
        try (ModelRegistry registry = new ModelRegistry(client, topics.models(), Duration.ofSeconds(30));
                RegistryFollower follower =
                        new RegistryFollower(client, topics.models(), RegistryView.forServing()).start()) {
            registry.createModel(spec(settings.features()));
            if (!follower.awaitCaughtUp(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the registry " + topics.models() + " could not be read");
            }
            ModelCatalog catalog = new ModelCatalog(follower.view(), follower::awaitCaughtUp);
            var topology = FunctionsTopology.build(
                    topics, catalog, FunctionsTopology.Settings.defaults("bench-" + key), stats, true);
            ThroughputPhase.Result both = ThroughputPhase.run(
                    admin,
                    StreamsApps.functionProperties(client, applicationId, stateRoot.resolve(key), guarantee, settings),
                    topology,
                    TOPOLOGY,
                    guarantee,
                    input.end(),
                    List.of(FunctionsTopology.trainRepartitionTopic(applicationId)),
                    timeoutSeconds,
                    // its input is both topics: twice as many records as events
                    line -> progress.accept(line.replace(" events committed", " events and labels committed")));
            progress.accept(String.format(
                    Locale.ROOT,
                    "%s, %s: %,d labels joined, %,d unmatched, %,d duplicate",
                    TOPOLOGY,
                    guarantee,
                    stats.feedbackJoined.sum(),
                    stats.feedbackUnmatched.sum(),
                    stats.feedbackDuplicate.sum()));
            // Done means every event and every label committed; partial counts the examples the train function
            // committed.
            long events = both.complete() ? input.events() : Math.min(both.events(), input.events());
            return new ThroughputPhase.Result(
                    TOPOLOGY, guarantee, applicationId, events, both.seconds(), both.startupSeconds(), both.complete());
        }
    }
}
