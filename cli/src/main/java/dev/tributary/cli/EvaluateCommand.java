package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.evaluation.Evaluation;
import dev.tributary.evaluation.EvaluationOptions;
import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.RunningPrior;
import dev.tributary.learn.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
            description = "Buckets for categorical features: 2^N (default: " + SpecOptions.DEFAULT_HASH_BITS
                    + " with categorical features).")
    Integer hashBits;

    @Option(
            names = "--optimizer",
            paramLabel = "O",
            description = "adagrad (default), sgd, ftrl (logistic), or pegasos (svm).")
    SpecOptions.Optimizer optimizer;

    @Option(names = "--learning-rate", paramLabel = "X", description = "Base step size (default: the optimizer's own).")
    Double learningRate;

    @Option(names = "--l2", paramLabel = "X", description = "L2 regularization (default: the learners' own).")
    Double l2;

    @Option(names = "--l1", paramLabel = "X", description = "L1 regularization, adagrad and ftrl only (default: 0).")
    Double l1;

    @Option(names = "--no-standardize", description = "Do not standardize numeric features online.")
    boolean noStandardize;

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
            config = specOptions(data.features()).learnerConfig();
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
                    result, csv.getFileName() + ", " + algorithm + " (" + optimizerName(config) + ")", plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Json.compact(json(result)));
        } else {
            text(result, out);
        }
        out.flush();
        return 0;
    }

    /** The model options as the shared {@link SpecOptions}, so that defaults come from one place. */
    private SpecOptions specOptions(List<String> numeric) {
        SpecOptions o = new SpecOptions();
        o.algorithm = algorithm;
        o.features = new ArrayList<>(numeric);
        o.categorical = new ArrayList<>(categorical);
        o.hashBits = hashBits;
        o.optimizer = optimizer;
        o.learningRate = learningRate;
        o.l2 = l2;
        o.l1 = l1;
        o.noStandardize = noStandardize;
        return o;
    }

    // ---- text ----

    private static final List<String[]> CLASSIFICATION_ROWS = List.of(
            new String[] {"accuracy", "accuracy"},
            new String[] {"logloss", "log loss"},
            new String[] {"precision", "precision"},
            new String[] {"recall", "recall"},
            new String[] {"f1", "F1"},
            new String[] {"auc", "ROC AUC"});
    private static final List<String[]> REGRESSION_ROWS =
            List.of(new String[] {"r2", "R²"}, new String[] {"rmse", "RMSE"}, new String[] {"mae", "MAE"});

    private void text(EvaluationResult r, PrintWriter out) {
        LearnerConfig c = r.config();
        Task task = c.task();
        out.println(
                r.dataset() + ": " + r.rows() + " rows, " + c.numericFeatures().size() + " numeric"
                        + (c.categoricalFeatures().isEmpty()
                                ? ""
                                : " and " + c.categoricalFeatures().size() + " categorical")
                        + " features, label '" + label + "'.");
        out.println("Learner: " + Evaluation.describe(task) + ", " + describe(c) + ".");
        out.println();
        out.println("Progressive (each row predicted, then learnt, in file order): " + headline(task, r.progressive())
                + baselineClause(task, r) + ".");
        if (r.delayed() != null) {
            out.println("With each label " + r.labelDelay() + " rows late (row i learnt after row i+" + r.labelDelay()
                    + "): " + headline(task, r.delayed()) + ".");
        }
        out.println();
        String testRange = "rows " + (r.trainRows() + 1) + "-" + r.rows();
        out.println("On the last " + r.testRows() + " rows (" + testRange + "), where the batch model is tested:");
        Table compare = new Table("", "");
        if (r.batch() != null) {
            compare.row(
                    "  batch, trained once on "
                            + (r.batchTrainRows() < r.trainRows()
                                    ? "a sample of " + r.batchTrainRows() + " of rows 1-" + r.trainRows()
                                    : "rows 1-" + r.trainRows())
                            + ":",
                    headline(task, r.batch()));
        } else {
            compare.row(
                    "  batch:", r.batchError() != null ? "no figure (" + r.batchError() + ")" : "skipped (--no-batch)");
        }
        compare.row(
                "  online, progressive (predicts each row, then learns it):", headline(task, r.progressiveOnTest()));
        compare.row("  online, frozen after one pass over rows 1-" + r.trainRows() + ":", headline(task, r.holdout()));
        compare.lines().stream().skip(1).forEach(line -> out.println(line.stripTrailing()));
        out.println();

        String trivial = task == Task.REGRESSION ? "mean" : "majority";
        List<String> header = new ArrayList<>(List.of("", "online", "online", "online"));
        List<String> second = new ArrayList<>(List.of("", "progressive", "progressive", "frozen"));
        List<String> third = new ArrayList<>(List.of("", "all rows", "last " + r.testRows(), "last " + r.testRows()));
        if (r.delayed() != null) {
            header.add("online");
            second.add("label delay " + r.labelDelay());
            third.add("all rows");
        }
        header.add("batch");
        second.add("hold-out");
        third.add("last " + r.testRows());
        if (r.prior() != null) {
            header.add("running");
            second.add("prior");
            third.add("all rows");
        }
        header.addAll(List.of(trivial, trivial));
        second.addAll(List.of("progressive", "hold-out"));
        third.addAll(List.of("all rows", "last " + r.testRows()));
        Table table = new Table(header.toArray(String[]::new));
        table.row((Object[]) second.toArray(String[]::new));
        table.row((Object[]) third.toArray(String[]::new));
        for (String[] row : task == Task.REGRESSION ? REGRESSION_ROWS : CLASSIFICATION_ROWS) {
            String key = row[0];
            if (!r.progressive().containsKey(key)
                    && (r.batch() == null || !r.batch().containsKey(key))) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(
                    row[1], cell(r.progressive(), key), cell(r.progressiveOnTest(), key), cell(r.holdout(), key)));
            if (r.delayed() != null) {
                cells.add(cell(r.delayed(), key));
            }
            cells.add(cell(r.batch(), key));
            if (r.prior() != null) {
                cells.add(cell(r.prior(), key));
            }
            cells.add(cell(r.majorityProgressive(), key));
            cells.add(cell(r.majorityHoldout(), key));
            table.row(cells.toArray());
        }
        for (String line : table.lines()) {
            out.println(line);
        }
        out.println();
        if (r.batch() != null) {
            out.println("Batch: " + r.batchModel() + ", features standardized on its training rows.");
        } else if (r.batchError() != null) {
            out.println("Batch: no figure (" + r.batchError() + ").");
        }
        if (r.prior() != null) {
            out.println("Running prior: P(1) is the positive rate of about the last " + RunningPrior.WINDOW
                    + " labels, no features. Majority: the most frequent class seen so far / in rows 1-" + r.trainRows()
                    + ".");
        } else {
            out.println("Mean: predicts the mean of the labels seen so far / of rows 1-" + r.trainRows() + ".");
        }
        out.println(String.format(
                Locale.ROOT,
                "Wall time: progressive pass %s (%,.0f events/s, every learner and baseline),"
                        + " of which hold-out %s and batch %s. Updates rejected by the guard: %d.",
                seconds(r.progressiveNanos()),
                r.eventsPerSecond(),
                seconds(r.holdoutNanos()),
                r.batch() == null && r.batchError() == null ? "-" : seconds(r.batchNanos()),
                r.updatesRejected()));
        if (plot != null) {
            out.println("Learning curves: " + plot);
        }
    }

    /** The figures a user decides by: log loss, ROC AUC and accuracy; ROC AUC and accuracy; or R² and RMSE. */
    private static String headline(Task task, Map<String, Double> f) {
        return switch (task) {
            case LOGISTIC ->
                "log loss " + cell(f, "logloss") + ", ROC AUC " + cell(f, "auc") + ", accuracy " + cell(f, "accuracy");
            case SVM -> "ROC AUC " + cell(f, "auc") + ", accuracy " + cell(f, "accuracy");
            case REGRESSION -> "R² " + cell(f, "r2") + ", RMSE " + cell(f, "rmse");
        };
    }

    private static String baselineClause(Task task, EvaluationResult r) {
        return switch (task) {
            case LOGISTIC -> " (running prior: log loss " + cell(r.prior(), "logloss") + ")";
            case SVM -> " (majority: accuracy " + cell(r.majorityProgressive(), "accuracy") + ")";
            case REGRESSION -> " (mean so far: RMSE " + cell(r.majorityProgressive(), "rmse") + ")";
        };
    }

    static String describe(LearnerConfig c) {
        StringBuilder d = new StringBuilder(optimizerName(c));
        d.append(", learning rate ")
                .append(number(c.learningRate()))
                .append(", l2 ")
                .append(number(c.l2()))
                .append(", l1 ")
                .append(number(c.l1()))
                .append(c.standardize() ? ", standardized" : ", not standardized");
        if (!c.categoricalFeatures().isEmpty()) {
            d.append(", categories in 2^").append(c.hashBits()).append(" buckets");
        }
        return d.toString();
    }

    private static String optimizerName(LearnerConfig c) {
        return c.optimizer().name().toLowerCase(Locale.ROOT);
    }

    private static String cell(Map<String, Double> figures, String key) {
        if (figures == null) {
            return "-";
        }
        Double v = figures.get(key);
        return v == null || v.isNaN() ? "-" : figure(v);
    }

    /** A figure: four decimals below 10 (0.9000, 1.0000), else two. */
    static String figure(double v) {
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.4f" : "%.2f", v);
    }

    /** Four decimals for figures in [-10, 10], else a plain rounded number. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.valueOf((long) v);
        }
        if (Math.abs(v) < 10) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) < 1e6 ? "%.2f" : "%.6g", v);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    // ---- JSON ----

    private ObjectNode json(EvaluationResult r) {
        LearnerConfig c = r.config();
        ObjectNode o = Json.object();
        o.put("file", csv.toString());
        o.put("rows", r.rows());
        o.put("label", label);
        o.put("algorithm", algorithm.name());
        ArrayNode f = o.putArray("features");
        c.numericFeatures().forEach(f::add);
        ArrayNode cat = o.putArray("categorical");
        c.categoricalFeatures().forEach(cat::add);
        ObjectNode learner = o.putObject("learner");
        learner.put("optimizer", optimizerName(c));
        learner.put("learningRate", c.learningRate());
        learner.put("l2", c.l2());
        learner.put("l1", c.l1());
        learner.put("standardize", c.standardize());
        learner.put("hashBits", c.hashBits());
        o.put("metric", r.metric());
        o.put("trainRows", r.trainRows());
        o.put("testRows", r.testRows());
        figures(o.putObject("progressive"), r.progressive());
        figures(o.putObject("progressiveOnTest"), r.progressiveOnTest());
        o.put("labelDelay", r.labelDelay());
        if (r.delayed() != null) {
            figures(o.putObject("delayed"), r.delayed());
        }
        figures(o.putObject("holdout"), r.holdout());
        if (r.batch() != null) {
            ObjectNode b = o.putObject("batch");
            b.put("model", r.batchModel());
            b.put("trainRows", r.batchTrainRows());
            figures(b, r.batch());
        } else {
            o.putNull("batch");
            if (r.batchError() != null) {
                o.put("batchError", r.batchError());
            }
        }
        ObjectNode majority = o.putObject("majority");
        figures(majority.putObject("progressive"), r.majorityProgressive());
        figures(majority.putObject("holdout"), r.majorityHoldout());
        if (r.prior() != null) {
            figures(o.putObject("prior"), r.prior());
        }
        o.put("updatesRejected", r.updatesRejected());
        ObjectNode wall = o.putObject("wallTimeMs");
        wall.put("progressive", r.progressiveNanos() / 1e6);
        wall.put("holdout", r.holdoutNanos() / 1e6);
        wall.put("batch", r.batchNanos() / 1e6);
        o.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
        ObjectNode curve = o.putObject("curve");
        curve.put("metric", r.curve().metric());
        ArrayNode events = curve.putArray("events");
        for (long e : r.curve().events()) {
            events.add(e);
        }
        values(curve.putArray("values"), r.curve().values());
        ObjectNode series = curve.putObject("series");
        r.curve().series().forEach((name, v) -> values(series.putArray(name), v));
        return o;
    }

    private static void values(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }

    private static void figures(ObjectNode node, Map<String, Double> figures) {
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            double v = e.getValue();
            if (e.getKey().equals("count")) {
                node.put("count", (long) v);
            } else if (Double.isFinite(v)) {
                node.put(e.getKey(), v);
            } else {
                node.putNull(e.getKey());
            }
        }
    }
}
