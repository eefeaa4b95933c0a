package dev.tributary.cli;

import dev.tributary.kafka.EmbeddedKafka;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.runtime.TempDirs;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One {@code tributary run}, in this process, against a broker of its own, until it has scored one
 * waiting event; then everything stops and is deleted. It loads the classes a {@code run} loads up to
 * its first prediction, so that a JVM started with {@code -XX:ArchiveClassesAtExit=FILE} writes them to
 * a class-data-sharing archive at exit: what the {@code tributary} launcher and the image build do, for
 * every later start to map those classes instead of loading them from the jar.
 */
@Command(
        name = WarmUpCommand.NAME,
        hidden = true,
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Run the functions once, against a broker of their own, until they score one event; then stop.",
            "Run with -XX:ArchiveClassesAtExit=FILE, it writes the class-data-sharing archive that makes later "
                    + "starts faster (the tributary launcher and the image build do)."
        })
public final class WarmUpCommand implements Callable<Integer> {
    static final String NAME = "warm-up";
    private static final String MODEL = "warm-up";
    private static final int FEATURES = 4;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            defaultValue = "120",
            description = "Give up when no prediction comes within S seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("tributary-warm-up-");
        try (EmbeddedKafka broker =
                EmbeddedKafka.start(EmbeddedKafka.Config.defaults().withDataDir(dir.resolve("broker")))) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            Topics topics = Topics.defaults();
            try (Admin admin = Kafka.admin(client)) {
                topics.ensure(admin, 1);
            }
            try (ModelRegistry registry = new ModelRegistry(client, topics.models(), Kafka.TIMEOUT)) {
                List<String> names = IntStream.rangeClosed(1, FEATURES)
                        .mapToObj(i -> "x" + i)
                        .toList();
                registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, names)
                        .build());
            }
            send(client, topics.events());
            try (KafkaConsumer<byte[], byte[]> predictions = Kafka.committedReader(client, "tributary-warm-up")) {
                List<TopicPartition> partitions = Kafka.partitions(predictions, topics.predictions(), "");
                predictions.assign(partitions);
                predictions.seekToBeginning(partitions);
                Thread run = runInstance(broker.bootstrapServers(), dir.resolve("state"));
                try {
                    awaitPrediction(predictions, run);
                } finally {
                    run.interrupt(); // the instance stops as on Ctrl-C
                    run.join(TimeUnit.SECONDS.toMillis(60));
                }
            }
        } finally {
            TempDirs.delete(dir);
        }
        return 0;
    }

    private static void send(Map<String, Object> client, String topic) throws Exception {
        Event event = new SyntheticStream(MODEL, Algorithm.LOGISTIC_REGRESSION, FEATURES, 42, Long.MAX_VALUE).next();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        client.get("bootstrap.servers"),
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        (int) Kafka.TIMEOUT.toMillis()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic,
                            event.getId().getBytes(StandardCharsets.UTF_8),
                            AvroCodec.of(Event.class).encode(event)))
                    .get(Kafka.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** {@code tributary run} on a thread of this process, its output discarded. */
    private static Thread runInstance(String bootstrap, Path stateDir) {
        PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        String[] args = {
            "run",
            "--bootstrap-servers",
            bootstrap,
            "--state-dir",
            stateDir.toString(),
            "--partitions",
            "1",
            "--http-host",
            "127.0.0.1"
        };
        Thread run = new Thread(() -> Tributary.execute(args, quiet, quiet), "tributary-warm-up-run");
        run.start();
        return run;
    }

    private void awaitPrediction(KafkaConsumer<byte[], byte[]> predictions, Thread run) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (predictions.poll(Duration.ofMillis(100)).isEmpty()) {
            if (!run.isAlive()) {
                throw new CliException("the functions stopped before they scored the warm-up event");
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("no prediction within " + timeoutSeconds + " s");
            }
        }
    }
}
