package dev.tributary.cli;

import dev.tributary.registry.Clients;
import dev.tributary.producers.CsvReplay;
import dev.tributary.producers.EventPublisher;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Publishes a CSV file (validated first) or a JSON-lines file of events. */
@Command(name = "produce", mixinStandardHelpOptions = true, versionProvider = Tributary.Version.class, sortOptions = false,
    description = {"Publish events from a CSV file (one event per row, for one model) or a JSON-lines file.",
        "A CSV file is checked whole before anything is sent; JSON lines are sent as they are."})
public final class ProduceCommand implements Callable<Integer> {
  static final class Source {
    @Option(names = "--csv", paramLabel = "FILE", required = true,
        description = "CSV with a header line; every column but the label is a feature.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE", required = true,
        description = "One JSON event per line, e.g. {\"id\":\"e1\",\"model\":\"m\",\"features\":{\"x1\":1.5},\"label\":1}.")
    Path json;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--model", paramLabel = "NAME", description = "The model the CSV's events are for (required with --csv).")
  String model;

  @Option(names = "--label", paramLabel = "COLUMN", description = "CSV column holding the label (none: unlabelled events, scored only).")
  String label;

  @Option(names = "--categorical", split = ",", paramLabel = "COLUMN", description = "CSV columns that are categories, not numbers.")
  List<String> categorical = new ArrayList<>();

  @Option(names = "--rate", paramLabel = "N", defaultValue = "0", description = "Events per second; 0 sends as fast as Kafka takes them (default).")
  double rate;

  @Option(names = "--limit", paramLabel = "N", description = "Send at most N events.")
  Long limit;

  @Option(names = "--topic", paramLabel = "T", defaultValue = "tributary.events", description = "Trigger topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Mixin
  KafkaOptions kafka;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    Path file = source.csv != null ? source.csv : source.json;
    if (!Files.isRegularFile(file)) {
      throw new CliException("no such file: " + file);
    }
    Set<String> categories = new LinkedHashSet<>(categorical);
    long rows = source.csv != null ? CsvReplay.validate(file, label, categories) : countLines(file);
    long total = limit == null ? rows : Math.min(rows, limit);
    Map<String, Object> props = kafka.clientProperties();
    if (source.csv != null) {
      try (ModelRegistry registry = Registries.open(kafka)) {
        checkFeatures(Registries.requireSpec(registry, model), file, categories);
      }
    } else {
      Kafka.requireReachable(props);
    }
    ProgressLine progress = new ProgressLine(spec.commandLine().getOut(), total, Terminal.interactive());
    long sent;
    try (EventPublisher publisher = new EventPublisher(Clients.bounded(props), topic, rate)) {
      if (source.csv != null) {
        registerSchema(publisher); // CSV rows are sent as Avro
      }
      sent = source.csv != null ? sendCsv(publisher, file, categories, progress) : sendJson(publisher, file, progress);
      publisher.flush();
    }
    progress.done(sent, topic, source.csv != null ? "for model '" + model + "'" : "from " + file.getFileName());
    return 0;
  }

  /** Registers the Event schema; a producer that may not write the schemas topic still publishes, with a warning. */
  private void registerSchema(EventPublisher publisher) {
    String schemas = dev.tributary.schema.Topics.defaults().schemas();
    try {
      publisher.registerSchema(schemas);
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("tributary: warning: " + Errors.describe(e) + "; the events are sent anyway "
          + "(instances of this release read them; older ones need the schema registered)");
    }
  }

  private void checkOptions() {
    if (source.csv != null && model == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--csv needs --model NAME: the model the events are for");
    }
    if (source.json != null && (model != null || label != null || !categorical.isEmpty())) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--model, --label and --categorical apply to --csv; JSON events name their model and label themselves");
    }
    if (rate < 0 || (limit != null && limit < 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rate and --limit must not be negative");
    }
  }

  /** Refuses a CSV that lacks a feature the model needs: every event would be dead-lettered. */
  private void checkFeatures(ModelSpec modelSpec, Path file, Set<String> categories) {
    List<String> columns;
    try (CsvReplay csv = CsvReplay.open(file, model, label, categories)) {
      columns = csv.featureColumns();
    }
    for (String f : modelSpec.getFeatures()) {
      if (!columns.contains(f) || categories.contains(f)) {
        throw new CliException(file.getFileName() + " has no numeric column '" + f + "', which model '" + model
            + "' needs (its features: " + String.join(",", modelSpec.getFeatures()) + ")");
      }
    }
  }

  private long sendCsv(EventPublisher publisher, Path file, Set<String> categories, ProgressLine progress) {
    long sent = 0;
    try (CsvReplay csv = CsvReplay.open(file, model, label, categories)) {
      while (csv.hasNext() && (limit == null || sent < limit)) {
        publisher.send(csv.next());
        progress.update(++sent);
      }
    }
    return sent;
  }

  private long sendJson(EventPublisher publisher, Path file, ProgressLine progress) throws IOException {
    long sent = 0;
    long lineNumber = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null && (limit == null || sent < limit)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        publisher.sendRaw(keyOf(line, file, lineNumber), line.getBytes(StandardCharsets.UTF_8));
        progress.update(++sent);
      }
    }
    return sent;
  }

  /** The event's id as the key when the line is a JSON object with one, else FILE:LINE. */
  private static byte[] keyOf(String line, Path file, long lineNumber) {
    try {
      var id = Json.MAPPER.readTree(line).get("id");
      if (id != null && (id.isTextual() || id.isIntegralNumber())) {
        return id.asText().getBytes(StandardCharsets.UTF_8);
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: sent anyway, the functions dead-letter it with the reason
    }
    return (file.getFileName() + ":" + lineNumber).getBytes(StandardCharsets.UTF_8);
  }

  private static long countLines(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.filter(l -> !l.isBlank()).count();
    }
  }
}
