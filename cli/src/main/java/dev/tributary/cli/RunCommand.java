package dev.tributary.cli;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One instance of the score and train functions until Ctrl-C; start more to scale out. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Tributary.Version.class,
    description = {"Run one instance of the score and train functions until Ctrl-C.",
        "Run it again (same application id) to scale out: Kafka spreads the partitions over the instances."})
public final class RunCommand implements Callable<Integer> {
  enum Guarantee {
    exactly_once_v2, at_least_once
  }

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "tributary-functions",
      description = "Kafka Streams application id shared by all instances (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Local state directory (default: a temporary directory deleted on exit; state is restored from Kafka).")
  Path stateDir;

  @Option(names = "--processing-guarantee", paramLabel = "G", defaultValue = "exactly_once_v2",
      description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
  Guarantee guarantee;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of the events and predictions topics if this instance creates them (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (partitions < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
    }
    var props = kafka.clientProperties();
    Kafka.requireReachable(props);
    Path dir = stateDir != null ? stateDir : Files.createTempDirectory("tributary-state-");
    String instance = FunctionsRunner.defaultInstanceId();
    FunctionsRunner.Config config = new FunctionsRunner.Config(props, applicationId, dir, Topics.defaults(), partitions,
        guarantee.name(), 1, FunctionsTopology.Settings.defaults(instance));
    FunctionsRunner runner = FunctionsRunner.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      runner.close();
      if (stateDir == null) {
        TempDirs.delete(dir);
      }
      stopped.countDown();
    }, "tributary-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (!runner.awaitRunning(Duration.ofSeconds(60))) {
      throw new CliException("the functions did not reach RUNNING within 60 s (state " + runner.state() + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Tributary functions running: instance " + instance + ", application id " + applicationId + ", "
        + guarantee + ", Kafka " + kafka.bootstrapServers() + ", state " + dir + ". Press Ctrl-C to stop.");
    out.flush();
    while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
      if (runner.state() == KafkaStreams.State.ERROR || runner.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new CliException("the functions stopped (state " + runner.state() + "); see the log above");
      }
    }
    return 0;
  }
}
