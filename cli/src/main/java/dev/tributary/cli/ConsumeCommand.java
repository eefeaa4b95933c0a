package dev.tributary.cli;

import dev.tributary.registry.TopicFollower;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.WriterSchemas;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the records of a topic as JSON lines (committed records only). */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Print a topic's committed records, one JSON object per line.",
            "Any Tributary record prints decoded (by its schema's fingerprint and the schemas topic): predictions of "
                    + "any output topic flat; dead letters as key, value (text, the Avro event decoded, or base64) and headers."
        })
public final class ConsumeCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description =
                    "Topic to read (default: PREFIX.predictions, tributary.predictions; also PREFIX.dead-letters, "
                            + ".events, .models, .usage, or a function's output topic).")
    String topic;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            defaultValue = "0",
            description = "Stop when no record arrived for S seconds (default: 0, wait until Ctrl-C).")
    double timeoutSeconds;

    @Option(names = "--from-beginning", description = "Start at the oldest record (default: only new records).")
    boolean fromBeginning;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--max must be at least 1, got " + max);
        }
        if (timeoutSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must not be negative");
        }
        Map<String, Object> props = kafka.reachableClientProperties();
        Topics topics = kafka.topics();
        if (topic == null) {
            topic = topics.predictions();
        }
        RecordJson render = new RecordJson(topics);
        PrintWriter out = spec.commandLine().getOut();
        // Newer writers' schemas, so that their records decode too; the follower keeps learning while this reads.
        try (TopicFollower schemas = new TopicFollower(props, topics.schemas(), WriterSchemas::apply).start();
                KafkaConsumer<byte[], byte[]> consumer = Kafka.committedReader(props, "tributary-cli-consume")) {
            schemas.awaitCaughtUp(Kafka.TIMEOUT);
            List<TopicPartition> partitions = Kafka.partitions(consumer, topic, kafka.bootstrapServers());
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position); // fix the start now, before anything new arrives
            long printed = 0;
            long idleLimit = (long) (timeoutSeconds * 1000);
            long lastRecord = System.currentTimeMillis();
            while (max == null || printed < max) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.println(Json.compact(render.render(r)));
                    printed++;
                    if (max != null && printed >= max) {
                        break;
                    }
                }
                out.flush();
                if (!records.isEmpty()) {
                    lastRecord = System.currentTimeMillis();
                } else if (idleLimit > 0 && System.currentTimeMillis() - lastRecord >= idleLimit) {
                    break;
                }
            }
        }
        return 0;
    }
}
