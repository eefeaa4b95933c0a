package dev.tributary.cli;

import dev.tributary.producers.CsvReplay;
import dev.tributary.schema.serde.EventDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What the demo streams: a synthetic stream per model, or a CSV file replayed for one model. */
final class DemoSource {
    static final long DEFAULT_EVENTS = 20_000;

    @Option(
            names = "--events",
            paramLabel = "N",
            description = "Labelled events per model (default: " + DEFAULT_EVENTS + "; with --csv, the whole file).")
    Long events;

    @Option(
            names = "--csv",
            paramLabel = "FILE",
            description = "Replay this CSV for one model instead of the synthetic streams.")
    Path csv;

    @Option(names = "--label", paramLabel = "COLUMN", description = "With --csv: the label column.")
    String label;

    @Option(names = "--algorithm", paramLabel = "A", description = "With --csv: linear, logistic or svm.")
    AlgorithmName algorithm;

    @Option(
            names = "--categorical",
            split = ",",
            paramLabel = "COLUMN",
            description = "With --csv: columns that are categories.")
    List<String> categorical = new ArrayList<>();

    /**
     * The demo's models, their names ending in {@code suffix}.
     *
     * @param seed the seed of the first synthetic stream (each next model's is one more)
     * @throws CommandLine.ParameterException for options that do not go together
     */
    List<DemoModel> models(long seed, String suffix, CommandLine commandLine) {
        if (csv == null) {
            if (label != null || algorithm != null || !categorical.isEmpty()) {
                throw new CommandLine.ParameterException(
                        commandLine, "--label, --algorithm and --categorical go with --csv");
            }
            long n = events == null ? DEFAULT_EVENTS : events;
            if (n < 2) {
                throw new CommandLine.ParameterException(commandLine, "--events must be at least 2, got " + n);
            }
            List<DemoModel> models = new ArrayList<>();
            for (AlgorithmName a : AlgorithmName.values()) {
                models.add(DemoModel.synthetic("demo-" + a.name() + suffix, a, n, seed + a.ordinal()));
            }
            models.add(DemoModel.feedback("demo-feedback" + suffix, n, seed + AlgorithmName.values().length));
            return models;
        }
        if (label == null || algorithm == null) {
            throw new CommandLine.ParameterException(
                    commandLine, "--csv needs --label COLUMN and --algorithm linear|logistic|svm");
        }
        if (!Files.isRegularFile(csv)) {
            throw new CliException("no such file: " + csv);
        }
        Set<String> categories = new LinkedHashSet<>(categorical);
        long rows = CsvReplay.validate(csv, label, categories);
        if (rows == 0) {
            throw new CliException(csv.getFileName() + " has a header but no rows");
        }
        long n = events == null ? rows : Math.min(events, rows);
        return List.of(DemoModel.csv(modelName(csv) + suffix, algorithm, csv, label, categories, n));
    }

    /** A model name from a file name: "diabetes.csv" is "diabetes". */
    static String modelName(Path file) {
        String base =
                file.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "-");
        base = base.replaceFirst("^[^A-Za-z0-9]+", "");
        if (base.isEmpty()) {
            base = "csv";
        }
        base = base.length() > 100 ? base.substring(0, 100) : base;
        return EventDecoder.MODEL_NAME.matcher(base).matches() ? base : "csv";
    }
}
