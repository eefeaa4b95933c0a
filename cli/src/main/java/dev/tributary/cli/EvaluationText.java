package dev.tributary.cli;

import dev.tributary.evaluation.Evaluation;
import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.RunningPrior;
import dev.tributary.learn.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's result as the text {@code tributary evaluate} prints: the headline figures, the
 * online learner next to the batch model on the test rows, a table of every figure of every
 * predictor, and what each baseline is.
 */
final class EvaluationText {
    private EvaluationText() {}

    private static final List<String[]> CLASSIFICATION_ROWS = List.of(
            new String[] {"accuracy", "accuracy"},
            new String[] {"logloss", "log loss"},
            new String[] {"precision", "precision"},
            new String[] {"recall", "recall"},
            new String[] {"f1", "F1"},
            new String[] {"auc", "ROC AUC"});
    private static final List<String[]> REGRESSION_ROWS =
            List.of(new String[] {"r2", "R²"}, new String[] {"rmse", "RMSE"}, new String[] {"mae", "MAE"});

    /**
     * Prints the report of {@code r} for the file's {@code label} column.
     *
     * @param plot where the learning curves were drawn, or null
     */
    static void print(EvaluationResult r, String label, Path plot, PrintWriter out) {
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

    static String optimizerName(LearnerConfig c) {
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
}
