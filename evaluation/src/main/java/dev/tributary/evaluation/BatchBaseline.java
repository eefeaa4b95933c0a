package dev.tributary.evaluation;

import dev.tributary.learn.Task;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.liblinear.LinearClassificationType.LinearType;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.liblinear.LibLinearRegressionTrainer;
import org.tribuo.regression.liblinear.LinearRegressionType;

/**
 * The batch optimum to hold the online learners to: liblinear through Tribuo 4.3.2 (never its
 * Pegasos or Adam, which are broken in 4.3.2), trained on the rows before the split and tested on
 * the rows after it. Numeric features are standardised with the training rows' mean and
 * population standard deviation (a constant feature becomes 0); categorical features are one-hot
 * ({@code name=value} → 1), not hashed. C = 1 throughout:
 * <ul>
 *   <li>logistic: {@code L2R_LR} (liblinear {@code -s 0}), termination 0.01;</li>
 *   <li>SVM: {@code L2R_L2LOSS_SVC} ({@code -s 2}, squared hinge), termination 0.01;</li>
 *   <li>regression: {@code L2R_L2LOSS_SVR} ({@code -s 11}), termination 0.001, epsilon-insensitive
 *       zone {@code p = 0.1} in the label's own units (liblinear's default), as the reference
 *       figures were measured.</li>
 * </ul>
 *
 * <pre>{@code
 * Map<String, Double> figures = BatchBaseline.evaluate(data, Task.LOGISTIC, BatchBaseline.splitRow(data.rows(), 0.8));
 * double accuracy = figures.get("accuracy");
 * }</pre>
 */
public final class BatchBaseline {

    static final double COST = 1.0;
    static final int MAX_ITERATIONS = 1000;
    static final double CLASSIFICATION_TOLERANCE = 0.01;
    static final double REGRESSION_TOLERANCE = 0.001;
    static final double REGRESSION_EPSILON = 0.1;

    private BatchBaseline() {}

    /** Index of the first test row when the first {@code trainFraction} of the rows train. */
    public static int splitRow(int rows, double trainFraction) {
        return (int) Math.round(rows * trainFraction);
    }

    /** What {@link #evaluate} trains for a task, in words. */
    public static String describe(Task task) {
        return switch (task) {
            case LOGISTIC -> "liblinear L2R_LR (-s 0), C=1";
            case SVM -> "liblinear L2R_L2LOSS_SVC (-s 2), C=1";
            case REGRESSION -> "liblinear L2R_L2LOSS_SVR (-s 11), C=1, p=0.1";
        };
    }

    /**
     * Trains on rows {@code [0, split)} and returns the figures on rows {@code [split, rows)} with the
     * keys of {@link Scores} (the log loss only for logistic regression, whose model gives probabilities).
     */
    public static Map<String, Double> evaluate(Dataset data, Task task, int split) {
        if (split < 1 || split >= data.rows()) {
            throw new IllegalArgumentException(
                    "the split must leave rows on both sides, got " + split + " of " + data.rows());
        }
        Trained model = train(data.slice(0, split), task);
        Tally tally = model.newTally(data.rows() - split);
        for (int r = split; r < data.rows(); r++) {
            model.score(data.x()[r], data.categoriesOf(r), data.y()[r], tally);
        }
        return tally.values();
    }

    /** Trains on every row of {@code rows}, numeric features standardised with their mean and population std. */
    static Trained train(Dataset rows, Task task) {
        quietenTribuo();
        Encoder encoder = new Encoder(rows);
        if (task == Task.REGRESSION) {
            RegressionFactory factory = new RegressionFactory();
            MutableDataset<Regressor> train =
                    new MutableDataset<>(new SimpleDataSourceProvenance(rows.name() + "-train", factory), factory);
            for (int r = 0; r < rows.rows(); r++) {
                train.add(encoder.example(new Regressor(TARGET, rows.y()[r]), rows.x()[r], rows.categoriesOf(r)));
            }
            LibLinearRegressionTrainer trainer = new LibLinearRegressionTrainer(
                    new LinearRegressionType(LinearRegressionType.LinearType.L2R_L2LOSS_SVR),
                    COST,
                    MAX_ITERATIONS,
                    REGRESSION_TOLERANCE,
                    REGRESSION_EPSILON);
            return new Trained(task, encoder, null, trainer.train(train));
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train =
                new MutableDataset<>(new SimpleDataSourceProvenance(rows.name() + "-train", factory), factory);
        for (int r = 0; r < rows.rows(); r++) {
            train.add(encoder.example(label(rows.y()[r]), rows.x()[r], rows.categoriesOf(r)));
        }
        LinearType type = task == Task.LOGISTIC ? LinearType.L2R_LR : LinearType.L2R_L2LOSS_SVC;
        LibLinearClassificationTrainer trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(type), COST, MAX_ITERATIONS, CLASSIFICATION_TOLERANCE);
        return new Trained(task, encoder, trainer.train(train), null);
    }

    private static final String TARGET = "y";

    private static Label label(double y) {
        return new Label(y == 1.0 ? "1" : "0");
    }

    /** A trained batch model that scores rows one at a time into a {@link Tally}. */
    static final class Trained {
        private final Task task;
        private final Encoder encoder;
        private final Model<Label> classifier;
        private final Model<Regressor> regressor;

        private Trained(Task task, Encoder encoder, Model<Label> classifier, Model<Regressor> regressor) {
            this.task = task;
            this.encoder = encoder;
            this.classifier = classifier;
            this.regressor = regressor;
        }

        Tally newTally(int expectedRows) {
            return task == Task.REGRESSION
                    ? Tally.regression()
                    : Tally.classifier(classifier.generatesProbabilities(), expectedRows);
        }

        void score(double[] x, String[] categories, double y, Tally tally) {
            if (regressor != null) {
                Prediction<Regressor> p = regressor.predict(encoder.example(new Regressor(TARGET, y), x, categories));
                tally.add(p.getOutput().getValues()[0], y);
                return;
            }
            Prediction<Label> p = classifier.predict(encoder.example(label(y), x, categories));
            Map<String, Label> byLabel = p.getOutputScores();
            double one = byLabel.containsKey("1") ? byLabel.get("1").getScore() : Double.NaN;
            double zero = byLabel.containsKey("0") ? byLabel.get("0").getScore() : Double.NaN;
            // One class absent from the training rows: the model only knows the other one.
            double score = Double.isNaN(one) ? -zero : Double.isNaN(zero) ? one : one - zero;
            double probability = Double.isNaN(one) ? 1.0 - zero : one;
            tally.add(score, "1".equals(p.getOutput().getLabel()) ? 1 : 0, probability, y);
        }
    }

    /** Numeric features standardised with the training rows' statistics, categories one-hot. */
    private static final class Encoder {
        private final String[] numericNames;
        private final List<String> categorical;
        private final double[] mean;
        private final double[] invStd;

        Encoder(Dataset rows) {
            int d = rows.features().size();
            numericNames = rows.features().toArray(String[]::new);
            categorical = rows.categorical();
            mean = new double[d];
            double[] m2 = new double[d];
            for (int r = 0; r < rows.rows(); r++) {
                for (int j = 0; j < d; j++) {
                    double v = rows.x()[r][j];
                    double delta = v - mean[j];
                    mean[j] += delta / (r + 1);
                    m2[j] += delta * (v - mean[j]);
                }
            }
            invStd = new double[d];
            for (int j = 0; j < d; j++) {
                double sd = Math.sqrt(m2[j] / rows.rows());
                invStd[j] = sd > 0 ? 1.0 / sd : 0.0;
            }
        }

        <T extends org.tribuo.Output<T>> Example<T> example(T output, double[] x, String[] cats) {
            int d = numericNames.length;
            int present = 0;
            if (cats != null) {
                for (String v : cats) {
                    if (v != null) {
                        present++;
                    }
                }
            }
            String[] n = new String[d + present];
            double[] v = new double[d + present];
            System.arraycopy(numericNames, 0, n, 0, d);
            for (int j = 0; j < d; j++) {
                v[j] = (x[j] - mean[j]) * invStd[j];
            }
            int k = d;
            for (int j = 0; j < categorical.size() && cats != null; j++) {
                if (cats[j] != null) {
                    n[k] = "\u0001" + categorical.get(j) + "=" + cats[j];
                    v[k] = 1.0;
                    k++;
                }
            }
            return new ArrayExample<>(output, n, v);
        }
    }

    /** Held here so that the level set on it is not lost when the logger is garbage-collected. */
    private static final Logger TRIBUO_LOGGER = Logger.getLogger("org.tribuo");

    /** Tribuo logs every training run at INFO through java.util.logging; a report has no use for it. */
    private static void quietenTribuo() {
        TRIBUO_LOGGER.setLevel(Level.WARNING);
    }
}
