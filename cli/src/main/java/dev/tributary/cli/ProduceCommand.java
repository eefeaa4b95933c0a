package dev.tributary.cli;

import dev.tributary.model.EventFit;
import dev.tributary.producers.CsvFormatException;
import dev.tributary.producers.CsvReplay;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.JsonLines;
import dev.tributary.registry.Clients;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
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

/** Publishes a CSV file (validated first) or a JSON-lines file of events, or a file of feedback (validated first). */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Publish events from a CSV file (one event per row, for one model) or a JSON-lines file.",
            "The file is checked whole before anything is sent: each event against its model in the registry.",
            "With --feedback, publish the labels of events sent earlier to the feedback topic, keyed by event id, once "
                    + "every line is checked."
        })
public final class ProduceCommand implements Callable<Integer> {
    static final class Source {
        @Option(
                names = "--csv",
                paramLabel = "FILE",
                required = true,
                description = "CSV with a header line; every column but the label is a feature.")
        Path csv;

        @Option(
                names = "--json",
                paramLabel = "FILE",
                required = true,
                description =
                        "One JSON event per line, e.g. {\"id\":\"e1\",\"model\":\"m\",\"features\":{\"x1\":1.5},\"label\":1}.")
        Path json;

        @Option(
                names = "--feedback",
                paramLabel = "FILE",
                required = true,
                description = {
                    "Labels of events sent earlier, one per line: JSON {\"id\":\"e1\",\"model\":\"m\",\"label\":1} "
                            + "or CSV with the columns id,model,label (timestamp optional); to tributary.feedback unless --topic."
                })
        Path feedback;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "The model the CSV's events are for (required with --csv).")
    String model;

    @Option(
            names = "--label",
            paramLabel = "COLUMN",
            description = "CSV column holding the label (none: unlabelled events, scored only).")
    String label;

    @Option(
            names = "--categorical",
            split = ",",
            paramLabel = "COLUMN",
            description = "CSV columns that are categories, not numbers.")
    List<String> categorical = new ArrayList<>();

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "0",
            description = "Events per second; 0 sends as fast as Kafka takes them (default).")
    double rate;

    @Option(
            names = {"--max", "--limit"},
            paramLabel = "N",
            description = "Send at most N events (as consume --max).")
    Long limit;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description =
                    "Trigger topic (default: PREFIX.events, tributary.events; " + "with --feedback: PREFIX.feedback).")
    String topic;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        if (source.feedback != null) {
            return sendFeedback();
        }
        Path file = source.csv != null ? source.csv : source.json;
        if (!Files.isRegularFile(file)) {
            throw new CliException("no such file: " + file);
        }
        Set<String> categories = new LinkedHashSet<>(categorical);
        long rows = source.csv != null ? requireRows(CsvReplay.validate(file, label, categories), file) : 0;
        Map<String, Object> props = kafka.clientProperties();
        String topic = this.topic != null ? this.topic : kafka.topics().events();
        try (ModelRegistry registry = Registries.open(kafka)) {
            if (source.csv != null) {
                checkFeatures(Registries.requireSpec(registry, model), file, categories);
            } else {
                rows = requireRows(checkJson(registry, file), file);
            }
        }
        long total = limit == null ? rows : Math.min(rows, limit);
        ProgressLine progress = new ProgressLine(spec.commandLine().getOut(), total, Terminal.interactive());
        java.io.PrintWriter err = spec.commandLine().getErr();
        Thread interrupted = new Thread(
                () -> {
                    String stopped = progress.stoppedEarly();
                    if (stopped != null) {
                        err.println(System.lineSeparator() + "tributary: " + stopped + ".");
                        err.flush();
                    }
                },
                "tributary-produce-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        long sent;
        try (EventPublisher publisher = new EventPublisher(Clients.bounded(props), topic, rate)) {
            if (source.csv != null) {
                registerSchema(publisher); // CSV rows are sent as Avro
            }
            sent = source.csv != null
                    ? sendCsv(publisher, file, categories, progress)
                    : sendJson(publisher, file, progress);
            publisher.flush();
        }
        progress.done(sent, topic, source.csv != null ? "for model '" + model + "'" : "from " + file.getFileName());
        Runtime.getRuntime().removeShutdownHook(interrupted);
        return 0;
    }

    private Integer sendFeedback() {
        if (!Files.isRegularFile(source.feedback)) {
            throw new CliException("no such file: " + source.feedback);
        }
        String to = topic != null ? topic : kafka.topics().feedback();
        new FeedbackSend(kafka, spec.commandLine().getErr())
                .send(source.feedback, to, rate, limit, spec.commandLine().getOut());
        return 0;
    }

    /** Registers the Event schema; a producer that may not write the schemas topic still publishes, with a warning. */
    private void registerSchema(EventPublisher publisher) {
        String schemas = kafka.topics().schemas();
        try {
            publisher.registerSchema(schemas);
        } catch (IllegalStateException e) {
            spec.commandLine()
                    .getErr()
                    .println("tributary: warning: " + Errors.describe(e) + "; the events are sent anyway "
                            + "(instances of this release read them; older ones need the schema registered)");
        }
    }

    private void checkOptions() {
        if (source.csv != null && model == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--csv needs --model NAME: the model the events are for");
        }
        if (source.feedback != null && (model != null || label != null || !categorical.isEmpty())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--model, --label and --categorical apply to --csv; each feedback line names its event id, model and label");
        }
        if (source.json != null && (model != null || label != null || !categorical.isEmpty())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
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

    private long requireRows(long rows, Path file) {
        if (rows == 0) {
            throw new CliException(
                    file.getFileName() + (source.csv != null ? " has a header but no rows" : " has no events")
                            + ": there is nothing to send");
        }
        return rows;
    }

    /** Reads the whole JSON file first: every line an event of a registered model that fits it, or nothing is sent. */
    private static long checkJson(ModelRegistry registry, Path file) {
        try {
            return JsonLines.validate(file, new EventDecoder(EventLimits.DEFAULT), event -> {
                ModelSpec model = registry.spec(event.getModel()).orElse(null);
                return model != null
                        ? EventFit.problem(model, event)
                        : "unknown model '" + event.getModel() + "': create it first (tributary models create "
                                + event.getModel() + " ...)";
            });
        } catch (CsvFormatException e) {
            throw new CliException(e.getMessage() + "; nothing was sent", e);
        }
    }
}
