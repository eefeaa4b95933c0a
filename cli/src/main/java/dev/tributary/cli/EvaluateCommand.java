package dev.tributary.cli;

import dev.tributary.evaluation.Evaluation;
import dev.tributary.evaluation.EvaluationOptions;
import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.learn.LearnerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Offline evaluation of a learner on a CSV file: no Kafka. The rows go, in file order, through the
 * learner code the train function runs (test-then-train); the figures come from
 * {@link Evaluation}, next to the Tribuo liblinear batch model and the majority-class (or mean)
 * predictor on the same 80 % / 20 % split.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Evaluate a learner on a CSV file, offline (no Kafka).",
            "Streams the rows in file order through the learner the train function runs (predict each row,",
            "then learn from it) and report its progressive figures (log loss and ROC AUC",
            "first) next to a running prior, the majority-class (or mean) predictor and a",
            "batch liblinear model trained on the first 80%% of the rows and tested on",
            "the last 20%%, where the online learner is scored both as it goes and frozen",
            "after one pass over the 80%%. The file is read twice, never held in memory;",
            "the batch model learns from a sample of at most --batch-rows rows."
        },
        footer = {
            "",
            "Examples:",
            "  tributary evaluate --csv spambase.csv --label is_spam --algorithm logistic \\",
            "      --plot curves.png",
            "  tributary evaluate --csv clicks.csv --label click --algorithm logistic \\",
            "      --categorical ad --label-delay 5000 --no-batch"
        })
public final class EvaluateCommand implements Callable<Integer> {
    enum Format {
        text,
        json
    }

    @Option(
            names = "--csv",
            paramLabel = "FILE",
            required = true,
            description =
                    "CSV with a header line; every column but the label is a numeric feature unless named in --categorical.")
    Path csv;

    @Option(
            names = "--label",
            paramLabel = "COLUMN",
            required = true,
            description = "The column holding the label: a number for linear, 0 or 1 for logistic and svm.")
    String label;

    @Option(names = "--algorithm", required = true, paramLabel = "A", description = "linear, logistic or svm.")
    AlgorithmName algorithm;

    @Option(
            names = "--features",
            split = ",",
            paramLabel = "COLUMN",
            description =
                    "Numeric features to use, in weight order (default: every other column that is not categorical).")
    List<String> features = new ArrayList<>();

    @Option(
            names = "--categorical",
            split = ",",
            paramLabel = "COLUMN",
            description = "Categorical columns, hashed into 2^hash-bits buckets.")
    List<String> categorical = new ArrayList<>();

    @Option(
            names = "--hash-bits",
            paramLabel = "N",
            description = "Buckets for categorical features: 2^N (default: " + LearnerOptions.DEFAULT_HASH_BITS
                    + " with categorical features).")
    Integer hashBits;

    @Mixin
    LearnerOptions learner;

    @Option(
            names = "--format",
            paramLabel = "F",
            defaultValue = "text",
            description = "text (default) or json: one JSON object with every figure.")
    Format format;

    @Option(
            names = "--plot",
            paramLabel = "FILE.png",
            description =
                    "Draw the learning curves into a PNG: log loss (or RMSE), ROC AUC and accuracy (or R²) over events,"
                            + " cumulative and windowed, with the running prior (or mean) and the batch figures as lines.")
    Path plot;

    @Option(
            names = "--label-delay",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Also evaluate with each label arriving N rows late: the prediction made when row i arrived is scored"
                            + " against its label, which is learnt after row i+N (default: 0, off).")
    int labelDelay;

    @Option(names = "--no-batch", description = "Skip the batch baseline.")
    boolean noBatch;

    @Option(
            names = "--batch-rows",
            paramLabel = "N",
            defaultValue = "" + EvaluationOptions.DEFAULT_BATCH_ROWS,
            description = "The batch model learns from at most N training rows, a uniform sample when there are more"
                    + " (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new CliException("no such file: " + csv);
        }
        if (plot != null
                && !plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--plot writes a PNG: give a file name ending in .png");
        }
        Path plotDir = plot == null ? null : plot.toAbsolutePath().getParent();
        if (plotDir != null && !java.nio.file.Files.isDirectory(plotDir)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--plot " + plot + ": the directory " + plotDir
                            + " does not exist; create it first or name a file in an existing one");
        }
        if (labelDelay < 0 || batchRows < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    labelDelay < 0
                            ? "--label-delay must be 0 or more rows, got " + labelDelay
                            : "--batch-rows must be at least 1, got " + batchRows);
        }
        if (categorical.contains(label)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "the label column '" + label + "' cannot be categorical");
        }
        CsvRows data = CsvRows.scan(csv, label, features, categorical, algorithm.task);
        LearnerConfig config;
        try {
            config = learner.config(algorithm, data.features(), categorical, hashBits);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        EvaluationOptions options = EvaluationOptions.defaults()
                .withBatch(!noBatch)
                .withBatchRows(batchRows)
                .withLabelDelay(labelDelay);
        EvaluationResult result;
        try {
            result = Evaluation.run(data, config, options);
        } catch (IllegalArgumentException e) {
            throw new CliException(csv.getFileName() + ": " + e.getMessage(), e);
        }
        if (plot != null) {
            LearningCurvePlot.write(
                    result,
                    csv.getFileName() + ", " + algorithm + " (" + EvaluationText.optimizerName(config) + ")",
                    plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Json.compact(EvaluationJson.of(result, csv, label, algorithm)));
        } else {
            EvaluationText.print(result, label, plot, out);
        }
        out.flush();
        return 0;
    }
}
