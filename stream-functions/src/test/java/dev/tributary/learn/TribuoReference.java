package dev.tributary.learn;

import org.tribuo.MutableDataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.liblinear.LibLinearRegressionTrainer;
import org.tribuo.regression.liblinear.LinearRegressionType;

/**
 * Batch baselines with Tribuo 4.3.2's liblinear (never its Pegasos or Adam, which are broken in
 * 4.3.2): train on the first 80 % of a dataset, test on the last 20 %, features standardised with
 * the training rows' mean and standard deviation.
 *
 * <pre>{@code
 * double accuracy = TribuoReference.classification(Datasets.load("spambase"),
 *         LinearClassificationType.LinearType.L2R_LR);
 * }</pre>
 */
public final class TribuoReference {

    private TribuoReference() {
    }

    /** Index of the first test row of the 80/20 split. */
    public static int splitRow(Datasets.Dataset data) {
        return (int) Math.round(data.rows() * 0.8);
    }

    /** Test accuracy of a liblinear classifier ({@code L2R_LR} = -s 0, {@code L2R_L2LOSS_SVC} = -s 2), C = 1. */
    public static double classification(Datasets.Dataset data, LinearClassificationType.LinearType type) {
        LabelFactory factory = new LabelFactory();
        double[][] scaled = standardised(data);
        int split = splitRow(data);
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance(data.name() + "-train", factory), factory);
        MutableDataset<Label> test = new MutableDataset<>(new SimpleDataSourceProvenance(data.name() + "-test", factory), factory);
        String[] names = data.features().toArray(String[]::new);
        for (int r = 0; r < data.rows(); r++) {
            Label label = new Label(data.y()[r] == 1.0 ? "1" : "0");
            (r < split ? train : test).add(new ArrayExample<>(label, names, scaled[r]));
        }
        LibLinearClassificationTrainer trainer =
                new LibLinearClassificationTrainer(new LinearClassificationType(type), 1.0, 1000, 0.01);
        Model<Label> model = trainer.train(train);
        return new LabelEvaluator().evaluate(model, test).accuracy();
    }

    /** Test R² of liblinear's L2-regularised L2-loss support vector regression (-s 11), C = 1. */
    public static double regression(Datasets.Dataset data) {
        RegressionFactory factory = new RegressionFactory();
        double[][] scaled = standardised(data);
        int split = splitRow(data);
        MutableDataset<Regressor> train = new MutableDataset<>(new SimpleDataSourceProvenance(data.name() + "-train", factory), factory);
        MutableDataset<Regressor> test = new MutableDataset<>(new SimpleDataSourceProvenance(data.name() + "-test", factory), factory);
        String[] names = data.features().toArray(String[]::new);
        for (int r = 0; r < data.rows(); r++) {
            (r < split ? train : test).add(new ArrayExample<>(new Regressor(data.target(), data.y()[r]), names, scaled[r]));
        }
        LibLinearRegressionTrainer trainer = new LibLinearRegressionTrainer(
                new LinearRegressionType(LinearRegressionType.LinearType.L2R_L2LOSS_SVR), 1.0, 1000, 0.001, 0.1);
        Model<Regressor> model = trainer.train(train);
        return new RegressionEvaluator().evaluate(model, test).averageR2();
    }

    private static double[][] standardised(Datasets.Dataset data) {
        int split = splitRow(data);
        int d = data.features().size();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int r = 0; r < split; r++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data.x()[r][j] / split;
            }
        }
        for (int r = 0; r < split; r++) {
            for (int j = 0; j < d; j++) {
                double e = data.x()[r][j] - mean[j];
                sd[j] += e * e / split;
            }
        }
        double[][] out = new double[data.rows()][d];
        for (int r = 0; r < data.rows(); r++) {
            for (int j = 0; j < d; j++) {
                out[r][j] = sd[j] > 0 ? (data.x()[r][j] - mean[j]) / Math.sqrt(sd[j]) : 0.0;
            }
        }
        return out;
    }

    /** Accuracy (classifiers) or R² (regression) on the last 20 % of a learner trained online, one pass, on the first 80 %. */
    public static double holdout(Datasets.Dataset data, LearnerConfig config) {
        int split = splitRow(data);
        Learner learner = Datasets.prequential(data.slice(0, split), config);
        Datasets.Dataset test = data.slice(split, data.rows());
        int d = data.features().size();
        FeatureVector x = new FeatureVector(d);
        double correct = 0;
        double sse = 0;
        double mean = 0;
        for (double y : test.y()) {
            mean += y / test.rows();
        }
        double sst = 0;
        for (int r = 0; r < test.rows(); r++) {
            x.clear();
            for (int j = 0; j < d; j++) {
                x.add(j, test.x()[r][j]);
            }
            double m = learner.margin(x);
            double y = test.y()[r];
            if (config.task() == Task.REGRESSION) {
                sse += (m - y) * (m - y);
                sst += (y - mean) * (y - mean);
            } else if (learner.predictedClass(m) == (int) y) {
                correct++;
            }
        }
        return config.task() == Task.REGRESSION ? 1 - sse / sst : correct / test.rows();
    }
}
