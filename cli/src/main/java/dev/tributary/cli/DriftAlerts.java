package dev.tributary.cli;

import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The drift alerts of one model, read from the alerts topic up to its end at the time of reading
 * (a missing topic, as on a cluster the functions have not run on yet, holds none).
 *
 * <pre>{@code
 * List<DriftAlert> alerts = DriftAlerts.read(props, Topics.defaults().alerts(), "fraud");
 * String line = DriftAlerts.describe(alerts.get(0));   // "adwin after 2,041 labelled examples: error 0.1000 -> 0.8700"
 * }</pre>
 */
final class DriftAlerts {
  private DriftAlerts() {}

  static List<DriftAlert> read(Map<String, Object> clientProperties, String topic, String model) {
    AvroCodec<DriftAlert> codec = AvroCodec.of(DriftAlert.class);
    byte[] key = model.getBytes(StandardCharsets.UTF_8);
    List<DriftAlert> alerts = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = Kafka.committedReader(clientProperties, "tributary-cli-alerts")) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Kafka.TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        return alerts;
      }
      List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Kafka.TIMEOUT);
      long deadline = System.nanoTime() + Kafka.TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, Kafka.TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new CliException("reading " + topic + " did not reach its end within " + Kafka.TIMEOUT.toSeconds()
              + " s; is the broker still there?");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
              && java.util.Arrays.equals(key, r.key()) && r.value() != null) {
            try {
              alerts.add(codec.decode(r.value()));
            } catch (DecodeException e) {
              // not an alert this release can read: skipped
            }
          }
        }
      }
    }
    return alerts;
  }

  /** "adwin after 2,041 labelled examples: error 0.1000 -> 0.8700". */
  static String describe(DriftAlert a) {
    return String.format(Locale.ROOT, "%s after %,d labelled examples: %s %.4f -> %.4f", a.getDetector(),
        a.getPosition(), a.getMetric(), a.getBefore(), a.getAfter());
  }

  /** The table cell of a version: "adwin", "adwin x3" when it fired more than once, "" for none. */
  static String mark(List<DriftAlert> alerts, long version) {
    List<DriftAlert> mine = alerts.stream().filter(a -> a.getVersion() == version).toList();
    if (mine.isEmpty()) {
      return "";
    }
    String detector = mine.get(mine.size() - 1).getDetector();
    return mine.size() == 1 ? detector : detector + " x" + mine.size();
  }
}
