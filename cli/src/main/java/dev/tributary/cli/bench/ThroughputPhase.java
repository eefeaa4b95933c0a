package dev.tributary.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One throughput measurement: a fresh Kafka Streams application (its own application id, so it
 * reads the input from the beginning) runs a topology over the preloaded input.
 *
 * <p>The clock starts when a stream thread first has active tasks (partitions assigned), or when the
 * application reaches RUNNING if that is seen first (checked every 5 ms); the time to get there is
 * reported apart as startup. It stops at the first poll — every ~100 ms, with
 * {@code Admin.listConsumerGroupOffsets} — that finds the application's committed offsets at the
 * input's end offsets on every partition, and, for a topology with internal source topics (the
 * train function's repartition topic), at their end offsets too (read_committed). Throughput is
 * the number of input events over that time. A phase stopped by its timeout reports the events
 * committed by then (for train + score: by the train sub-topology) over the time it ran.
 */
final class ThroughputPhase {
  private static final long POLL_MS = 100;
  private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  /**
   * @param topology pass-through, score, or train + score
   * @param seconds from the first task assignment until the committed offsets reached the end offsets (or the timeout)
   * @param startupSeconds from {@code KafkaStreams.start()} until the first task assignment
   * @param events input events committed when the clock stopped (all of them unless {@code complete} is false)
   */
  record Result(String topology, String guarantee, String applicationId, long events, double seconds,
      double startupSeconds, boolean complete) {
    double eventsPerSecond() {
      return events / Math.max(seconds, 1e-9);
    }
  }

  private ThroughputPhase() {}

  static Result run(Admin admin, Properties props, Topology topology, String topologyName, String guarantee,
      Map<TopicPartition, Long> inputEnd, List<String> internalSourceTopics, int timeoutSeconds,
      Consumer<String> progress) throws InterruptedException {
    String applicationId = props.getProperty("application.id");
    long total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
    AtomicLong runningAt = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        runningAt.compareAndSet(0, System.nanoTime());
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    try {
      long started = System.nanoTime();
      streams.start();
      long clockStart = 0;
      while (clockStart == 0) {
        check(streams, failure, topologyName);
        if (System.nanoTime() - started > STARTUP_TIMEOUT.toNanos()) {
          throw new IllegalStateException(topologyName + " did not reach RUNNING within " + STARTUP_TIMEOUT.toSeconds()
              + " s (state " + streams.state() + ")");
        }
        if (runningAt.get() != 0) {
          clockStart = runningAt.get();
        } else if (hasActiveTasks(streams)) {
          // With several threads, one may process while the client is still REBALANCING.
          clockStart = System.nanoTime();
        } else {
          Thread.sleep(5);
        }
      }
      long deadline = clockStart + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      long lastProgress = clockStart;
      Map<TopicPartition, Long> internalPartitions = null;
      while (true) {
        Thread.sleep(POLL_MS);
        check(streams, failure, topologyName);
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, applicationId);
        long now = System.nanoTime();
        long consumed = 0;
        for (Map.Entry<TopicPartition, Long> e : inputEnd.entrySet()) {
          OffsetAndMetadata c = committed.get(e.getKey());
          consumed += Math.min(c == null ? 0 : c.offset(), e.getValue());
        }
        boolean done = consumed >= total;
        if (!internalSourceTopics.isEmpty()) {
          // Each input event is one record of the internal topic (all events are labelled): what the last
          // sub-topology (train) has committed bounds what the whole application has done. Under EOS its
          // offsets also count one transaction marker per commit: an overcount below 1 %.
          long internal = 0;
          for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (internalSourceTopics.contains(e.getKey().topic())) {
              internal += e.getValue().offset();
            }
          }
          consumed = Math.min(consumed, internal);
          if (done) {
            if (internalPartitions == null) {
              internalPartitions = partitions(admin, internalSourceTopics);
            }
            done = caughtUp(admin, internalPartitions, committed);
          }
          if (done) {
            consumed = total;
          }
        }
        double seconds = (now - clockStart) / 1e9;
        if (done || now > deadline) {
          return new Result(topologyName, guarantee, applicationId, consumed, seconds,
              (clockStart - started) / 1e9, done);
        }
        if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
          lastProgress = now;
          progress.accept(String.format(java.util.Locale.ROOT, "%s, %s: %,d of %,d events committed (%.0f %%, %,.0f events/s)",
              topologyName, guarantee, consumed, total, 100.0 * consumed / Math.max(total, 1), consumed / seconds));
        }
      }
    } finally {
      StreamsApps.close(streams);
    }
  }

  private static boolean hasActiveTasks(KafkaStreams streams) {
    try {
      return streams.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  private static void check(KafkaStreams streams, AtomicReference<Throwable> failure, String name) {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException(name + " failed: " + t, t);
    }
    KafkaStreams.State s = streams.state();
    if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.PENDING_ERROR) {
      throw new IllegalStateException(name + " stopped (state " + s + ")");
    }
  }

  static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String groupId) {
    try {
      return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the committed offsets of " + groupId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Every partition of the topics, with 0 for an end offset not yet read. */
  private static Map<TopicPartition, Long> partitions(Admin admin, List<String> topics) {
    try {
      Map<TopicPartition, Long> partitions = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).values()) {
        d.partitions().forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()), 0L));
      }
      return partitions;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe " + topics + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean caughtUp(Admin admin, Map<TopicPartition, Long> partitions,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    Map<TopicPartition, Long> ends = endOffsets(admin, partitions.keySet(), IsolationLevel.READ_COMMITTED);
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      if ((c == null ? 0 : c.offset()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  static Map<TopicPartition, Long> endOffsets(Admin admin, java.util.Collection<TopicPartition> partitions,
      IsolationLevel isolation) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get(15, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list the end offsets of " + partitions + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
