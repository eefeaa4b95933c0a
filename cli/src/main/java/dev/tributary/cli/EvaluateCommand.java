package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.evaluation.Dataset;
import dev.tributary.evaluation.Evaluation;
import dev.tributary.evaluation.EvaluationOptions;
import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Task;
import dev.tributary.producers.CsvFormatException;
import dev.tributary.producers.CsvReplay;
import dev.tributary.schema.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Tributary.Version.class, sortOptions = false,
    description = {"Evaluate a learner on a CSV file, offline (no Kafka): stream the rows in file order through the",
        "learner the train function runs (predict each row, then learn from it), and report the progressive figures",
        "next to a batch liblinear model and the majority-class (or mean) predictor, trained on the first 80 % of",
        "the rows and tested on the last 20 %, where the online learner is also scored after one pass over the 80 %."},
    footer = {"", "Example: tributary evaluate --csv spambase.csv --label is_spam --algorithm logistic --plot curve.png"})
public final class EvaluateCommand implements Callable<Integer> {
  enum Format { text, json }

  @Option(names = "--csv", paramLabel = "FILE", required = true,
      description = "CSV with a header line; every column but the label is a numeric feature unless named in --categorical.")
  Path csv;

  @Option(names = "--label", paramLabel = "COLUMN", required = true,
      description = "The column holding the label: a number for linear, 0 or 1 for logistic and svm.")
  String label;

  @Option(names = "--algorithm", required = true, paramLabel = "A", description = "linear, logistic or svm.")
  AlgorithmName algorithm;

  @Option(names = "--features", split = ",", paramLabel = "COLUMN",
      description = "Numeric features to use, in weight order (default: every other column that is not categorical).")
  List<String> features = new ArrayList<>();

  @Option(names = "--categorical", split = ",", paramLabel = "COLUMN", description = "Categorical columns, hashed into 2^hash-bits buckets.")
  List<String> categorical = new ArrayList<>();

  @Option(names = "--hash-bits", paramLabel = "N",
      description = "Buckets for categorical features: 2^N (default: " + SpecOptions.DEFAULT_HASH_BITS + " with categorical features).")
  Integer hashBits;

  @Option(names = "--optimizer", paramLabel = "O", description = "adagrad (default), sgd, ftrl (logistic), or pegasos (svm).")
  SpecOptions.Optimizer optimizer;

  @Option(names = "--learning-rate", paramLabel = "X", description = "Base step size (default: the optimizer's own).")
  Double learningRate;

  @Option(names = "--l2", paramLabel = "X", description = "L2 regularization (default: the learners' own).")
  Double l2;

  @Option(names = "--l1", paramLabel = "X", description = "L1 regularization, adagrad and ftrl only (default: 0).")
  Double l1;

  @Option(names = "--no-standardize", description = "Do not standardize numeric features online.")
  boolean noStandardize;

  @Option(names = "--format", paramLabel = "F", defaultValue = "text", description = "text (default) or json: one JSON object with every figure.")
  Format format;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the learning curve (progressive metric over events, the batch figure as a line) into a PNG.")
  Path plot;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new CliException("no such file: " + csv);
    }
    if (plot != null && !plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--plot writes a PNG: give a file name ending in .png");
    }
    Dataset data = read();
    LearnerConfig config;
    try {
      config = specOptions(data.features()).learnerConfig();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    EvaluationResult result;
    try {
      result = Evaluation.run(data, config, EvaluationOptions.defaults());
    } catch (IllegalArgumentException e) {
      throw new CliException(csv.getFileName() + ": " + e.getMessage(), e);
    }
    if (plot != null) {
      LearningCurvePlot.write(result, csv.getFileName() + ", " + algorithm + " (" + optimizerName(config) + ")", plot);
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

  /** Reads the whole file with {@link CsvReplay}: line-numbered errors, labels checked for the task. */
  private Dataset read() {
    Set<String> cats = new LinkedHashSet<>(categorical);
    if (cats.contains(label)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "the label column '" + label + "' cannot be categorical");
    }
    Task task = algorithm.task;
    List<double[]> xs = new ArrayList<>();
    List<String[]> cs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<String> numeric;
    try (CsvReplay replay = CsvReplay.open(csv, "evaluate", label, cats)) {
      List<String> columns = replay.featureColumns();
      if (features.isEmpty()) {
        numeric = new ArrayList<>(columns);
        numeric.removeAll(cats);
      } else {
        numeric = new ArrayList<>(features);
        for (String f : numeric) {
          if (!columns.contains(f) || cats.contains(f)) {
            throw new CliException(csv.getFileName() + ": no numeric column '" + f + "' for --features; the columns are "
                + columns);
          }
        }
      }
      if (numeric.isEmpty() && cats.isEmpty()) {
        throw new CliException(csv.getFileName() + ": there are no feature columns besides the label '" + label + "'");
      }
      while (replay.hasNext()) {
        Event e = replay.next();
        double y = e.getLabel();
        if (task.isClassifier() && y != 0.0 && y != 1.0) {
          throw new CliException(csv.getFileName() + " line " + lineOf(e) + ": the label '" + label + "' is "
              + number(y) + ", but " + Evaluation.describe(task) + " needs labels 0 and 1");
        }
        Map<String, Double> values = e.getFeatures();
        double[] row = new double[numeric.size()];
        for (int j = 0; j < row.length; j++) {
          row[j] = values.get(numeric.get(j));
        }
        String[] c = new String[categorical.size()];
        for (int j = 0; j < c.length; j++) {
          String v = e.getCategories().get(categorical.get(j));
          c[j] = v == null || v.isEmpty() ? null : v;
        }
        xs.add(row);
        cs.add(c);
        ys.add(y);
      }
    } catch (CsvFormatException e) {
      String message = e.getMessage();
      if (message != null && message.contains("column '" + label + "' is")) {
        throw new CliException(message.replaceFirst(" \\(declare it categorical if it is a category\\)$", "")
            + "; the label must be a number" + (task.isClassifier() ? " (0 or 1)" : ""), e);
      }
      throw e;
    }
    if (ys.size() < 5) {
      throw new CliException(csv.getFileName() + " has " + ys.size() + " data rows; evaluate needs at least 5");
    }
    double[] y = new double[ys.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = ys.get(i);
    }
    return new Dataset(csv.getFileName().toString(), numeric, categorical, label, xs.toArray(double[][]::new),
        categorical.isEmpty() ? null : cs.toArray(String[][]::new), y);
  }

  private static String lineOf(Event e) {
    String id = e.getId();
    int colon = id.lastIndexOf(':');
    return colon < 0 ? id : id.substring(colon + 1);
  }

  // ---- text ----

  private static final List<String[]> CLASSIFICATION_ROWS = List.of(
      new String[] {"accuracy", "accuracy"}, new String[] {"logloss", "log loss"}, new String[] {"precision", "precision"},
      new String[] {"recall", "recall"}, new String[] {"f1", "F1"}, new String[] {"auc", "ROC AUC"});
  private static final List<String[]> REGRESSION_ROWS = List.of(
      new String[] {"r2", "R²"}, new String[] {"rmse", "RMSE"}, new String[] {"mae", "MAE"});

  private void text(EvaluationResult r, PrintWriter out) {
    LearnerConfig c = r.config();
    out.println(r.dataset() + ": " + r.rows() + " rows, " + c.numericFeatures().size() + " numeric"
        + (c.categoricalFeatures().isEmpty() ? "" : " and " + c.categoricalFeatures().size() + " categorical")
        + " features, label '" + label + "'.");
    out.println("Learner: " + Evaluation.describe(c.task()) + ", " + describe(c) + ".");
    out.println();
    String trivial = c.task() == Task.REGRESSION ? "mean" : "majority";
    Table table = new Table("", "online", "online", "batch", trivial, trivial);
    table.row("", "progressive", "hold-out", "hold-out", "progressive", "hold-out");
    for (String[] row : c.task() == Task.REGRESSION ? REGRESSION_ROWS : CLASSIFICATION_ROWS) {
      String key = row[0];
      if (!r.progressive().containsKey(key) && (r.batch() == null || !r.batch().containsKey(key))) {
        continue;
      }
      table.row(row[1], cell(r.progressive(), key), cell(r.holdout(), key), cell(r.batch(), key),
          cell(r.majorityProgressive(), key), cell(r.majorityHoldout(), key));
    }
    for (String line : table.lines()) {
      out.println(line);
    }
    out.println();
    out.println("Progressive: all " + r.rows() + " rows in file order, each predicted before it is learnt. Hold-out: trained on"
        + " rows 1-" + r.trainRows() + " (the online learner in one pass), tested on the last " + r.testRows() + ".");
    if (r.batch() != null) {
      double gap = r.holdoutMetric() - r.batchMetric();
      out.println("Batch: " + r.batchModel() + ", features standardized on the training rows. Online vs batch on the hold-out: "
          + label(r.metric()) + " " + figure(r.holdoutMetric()) + " vs " + figure(r.batchMetric()) + " ("
          + String.format(Locale.ROOT, "%+.2f", 100 * gap) + " points).");
    } else if (r.batchError() != null) {
      out.println("Batch: no figure (" + r.batchError() + ").");
    }
    out.println(c.task() == Task.REGRESSION ? "Mean: predicts the mean of the labels seen so far / of the training rows."
        : "Majority: predicts the most frequent class seen so far / in the training rows.");
    out.println(String.format(Locale.ROOT, "Wall time: progressive %s (%,.0f events/s), hold-out %s, batch %s."
            + " Updates rejected by the guard: %d.", seconds(r.progressiveNanos()), r.eventsPerSecond(),
        seconds(r.holdoutNanos()), r.batch() == null && r.batchError() == null ? "-" : seconds(r.batchNanos()),
        r.updatesRejected()));
    if (plot != null) {
      out.println("Learning curve: " + plot);
    }
  }

  static String describe(LearnerConfig c) {
    StringBuilder d = new StringBuilder(optimizerName(c));
    d.append(", learning rate ").append(number(c.learningRate())).append(", l2 ").append(number(c.l2()))
        .append(", l1 ").append(number(c.l1())).append(c.standardize() ? ", standardized" : ", not standardized");
    if (!c.categoricalFeatures().isEmpty()) {
      d.append(", categories in 2^").append(c.hashBits()).append(" buckets");
    }
    return d.toString();
  }

  private static String optimizerName(LearnerConfig c) {
    return c.optimizer().name().toLowerCase(Locale.ROOT);
  }

  private static String label(String metric) {
    return metric.equals("r2") ? "R²" : metric;
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
    figures(o.putObject("holdout"), r.holdout());
    if (r.batch() != null) {
      ObjectNode b = o.putObject("batch");
      b.put("model", r.batchModel());
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
    o.put("updatesRejected", r.updatesRejected());
    ObjectNode wall = o.putObject("wallTimeMs");
    wall.put("progressive", r.progressiveNanos() / 1e6);
    wall.put("holdout", r.holdoutNanos() / 1e6);
    wall.put("batch", r.batchNanos() / 1e6);
    o.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
    ObjectNode curve = o.putObject("curve");
    curve.put("metric", r.curve().metric());
    ArrayNode events = curve.putArray("events");
    ArrayNode values = curve.putArray("values");
    for (int i = 0; i < r.curve().size(); i++) {
      events.add(r.curve().events()[i]);
      double v = r.curve().values()[i];
      if (Double.isFinite(v)) {
        values.add(v);
      } else {
        values.addNull();
      }
    }
    return o;
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
