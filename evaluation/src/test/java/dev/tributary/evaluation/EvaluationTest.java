package dev.tributary.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.Task;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    /** y = 1 when 2a - b + noise > 0.3, a and b on very different scales. */
    private static Dataset classification(int rows, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double a = random.nextGaussian();
            double b = 100 * random.nextGaussian();
            x[r] = new double[] {a, b};
            y[r] = 2 * a - b / 100 + 0.3 * random.nextGaussian() > 0.3 ? 1 : 0;
        }
        return new Dataset("toy", List.of("a", "b"), "y", x, y);
    }

    @Test
    void aucIsTheExactMannWhitneyStatisticWithTiesCountingHalf() {
        assertThat(Scores.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new double[] {0, 0, 1, 1}, 4))
                .isEqualTo(0.75);
        assertThat(Scores.auc(new double[] {1, 2, 3}, new double[] {0, 1, 1}, 3))
                .isEqualTo(1.0);
        assertThat(Scores.auc(new double[] {5, 5, 5, 5}, new double[] {0, 1, 0, 1}, 4))
                .isEqualTo(0.5);
        assertThat(Scores.auc(new double[] {0.2, 0.2, 0.9}, new double[] {0, 1, 1}, 3))
                .isEqualTo(0.75);
        assertThat(Scores.auc(new double[] {1, 2}, new double[] {1, 1}, 2)).isNaN();
    }

    @Test
    void regressionScores() {
        Map<String, Double> v = Scores.regression(new double[] {1, 2, 3}, new double[] {1, 2, 5}, 3);
        assertThat(v.get("mae")).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(v.get("rmse")).isCloseTo(Math.sqrt(4 / 3.0), within(1e-12));
        // mean 8/3, SST = 25/9 + 4/9 + 49/9 = 78/9
        assertThat(v.get("r2")).isCloseTo(1 - 4 / (78 / 9.0), within(1e-12));
    }

    @Test
    void progressiveFiguresAreExactlyWhatTheTrainPathMeasures() {
        Dataset data = classification(2000, 1);
        LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, data.features());
        EvaluationResult r = Evaluation.run(data, config);

        // The same learner code, driven by hand, gives the same figures bit for bit.
        Learner learner = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        for (int i = 0; i < data.rows(); i++) {
            featurizer.fill(Map.of("a", data.x()[i][0], "b", data.x()[i][1]), Map.of(), x);
            learner.learn(x, data.y()[i]);
        }
        Map<String, Double> expected = learner.metrics().values();
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            if (!e.getKey().equals("auc")) {
                assertThat(r.progressive().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        // The report's AUC is exact; the learner's (what a version carries) is binned, and close to it.
        assertThat(expected.get("auc")).isCloseTo(r.progressive().get("auc"), within(0.01));
        assertThat(r.progressive()).containsKeys("accuracy", "logloss", "precision", "recall", "f1", "auc", "count");
        assertThat(r.metric()).isEqualTo("accuracy");
        assertThat(r.rows()).isEqualTo(2000);
        assertThat(r.trainRows()).isEqualTo(1600);
        assertThat(r.testRows()).isEqualTo(400);
        assertThat(r.progressiveMetric()).isGreaterThan(0.9);
        assertThat(r.progressive().get("auc")).isGreaterThan(0.95);
        assertThat(r.holdoutMetric()).isGreaterThan(0.9);
        assertThat(r.batchMetric()).isGreaterThan(0.9);
        assertThat(r.batch()).containsKeys("accuracy", "logloss", "f1", "auc");
        assertThat(r.batch().get("auc")).isGreaterThan(0.95);
        assertThat(r.batchModel()).contains("L2R_LR");
        assertThat(r.majorityHoldout().get("auc")).isEqualTo(0.5);
        assertThat(r.majorityHoldout().get("accuracy")).isLessThan(r.holdoutMetric());
        // The curve ends on the final figure.
        LearningCurve curve = r.curve();
        assertThat(curve.size()).isBetween(150, 201);
        assertThat(curve.events()[curve.size() - 1]).isEqualTo(2000);
        assertThat(curve.values()[curve.size() - 1]).isEqualTo(r.progressiveMetric());
        assertThat(r.progressiveNanos()).isPositive();
        assertThat(r.eventsPerSecond()).isPositive();
    }

    @Test
    void svmHasNoLogLossAndItsBatchScoresRankTheClasses() {
        Dataset data = classification(1000, 2);
        EvaluationResult r = Evaluation.run(data, LearnerConfig.defaults(Task.SVM, data.features()));
        assertThat(r.progressive()).doesNotContainKey("logloss").containsKey("auc");
        assertThat(r.batch()).doesNotContainKey("logloss");
        assertThat(r.batch().get("auc")).isGreaterThan(0.95);
        assertThat(r.batchModel()).contains("L2R_L2LOSS_SVC");
        assertThat(r.majorityProgressive()).doesNotContainKey("logloss");
    }

    @Test
    void regressionAgainstTheMeanPredictor() {
        Random random = new Random(5);
        int rows = 3000;
        double[][] x = new double[rows][];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double a = random.nextGaussian();
            double b = random.nextDouble() * 50;
            x[r] = new double[] {a, b};
            y[r] = 1000 + 300 * a + 20 * b + 10 * random.nextGaussian();
        }
        Dataset data = new Dataset("linear", List.of("a", "b"), "y", x, y);
        EvaluationResult r = Evaluation.run(data, LearnerConfig.defaults(Task.REGRESSION, data.features()));
        assertThat(r.metric()).isEqualTo("r2");
        assertThat(r.progressive()).containsKeys("mae", "rmse", "r2", "count");
        assertThat(r.holdoutMetric()).isGreaterThan(0.99);
        assertThat(r.batchMetric()).isGreaterThan(0.99);
        assertThat(r.majorityHoldout().get("r2")).isCloseTo(0.0, within(0.02));
        assertThat(r.majorityProgressive().get("r2")).isLessThan(0.0);
    }

    @Test
    void categoricalFeaturesAreHashedForTheLearnerAndOneHotForTheBatchModel() {
        Random random = new Random(7);
        int rows = 2000;
        double[][] x = new double[rows][];
        String[][] cats = new String[rows][];
        double[] y = new double[rows];
        String[] cities = {"oslo", "lima", "pune", "kyiv"};
        for (int r = 0; r < rows; r++) {
            int c = random.nextInt(4);
            double a = random.nextGaussian();
            x[r] = new double[] {a};
            cats[r] = new String[] {cities[c]};
            y[r] = a + (c < 2 ? 1.5 : -1.5) + 0.3 * random.nextGaussian() > 0 ? 1 : 0;
        }
        Dataset data = new Dataset("cities", List.of("a"), List.of("city"), "y", x, cats, y);
        LearnerConfig config =
                LearnerConfig.defaults(Task.LOGISTIC, data.features()).withCategorical(List.of("city"), 8);
        EvaluationResult r = Evaluation.run(data, config);
        assertThat(r.progressiveMetric()).isGreaterThan(0.9);
        assertThat(r.batchMetric()).isGreaterThan(0.9);
    }

    @Test
    void labelsAndFeaturesAreChecked() {
        Dataset data = new Dataset("bad", List.of("a"), "y", new double[][] {{1}, {2}, {3}}, new double[] {0, 2, 1});
        assertThatThrownBy(() -> Evaluation.run(data, LearnerConfig.defaults(Task.LOGISTIC, List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row 2: the label is 2, but logistic regression needs labels 0 and 1");
        assertThatThrownBy(() -> Evaluation.run(data, LearnerConfig.defaults(Task.REGRESSION, List.of("b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("are not the dataset's");
        Dataset one = new Dataset("one", List.of("a"), "y", new double[][] {{1}}, new double[] {1});
        assertThatThrownBy(() -> Evaluation.run(one, LearnerConfig.defaults(Task.REGRESSION, List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too few");
    }

    @Test
    void aMissingClassInTheTrainingRowsIsReportedNotThrown() {
        double[][] x = new double[10][];
        double[] y = new double[10];
        for (int r = 0; r < 10; r++) {
            x[r] = new double[] {r};
            y[r] = r < 8 ? 0 : 1;
        }
        Dataset data = new Dataset("skewed", List.of("a"), "y", x, y);
        EvaluationResult r = Evaluation.run(data, LearnerConfig.defaults(Task.LOGISTIC, data.features()));
        assertThat(r.progressive().get("count")).isEqualTo(10.0);
        assertThat(r.batch() == null ? r.batchError() : "trained").isNotNull();
    }

    @Test
    void delayedLabelsAreScoredOnThePredictionMadeWhenTheRowArrived() {
        Dataset data = classification(1500, 4);
        LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, data.features());
        int delay = 40;
        EvaluationResult r = Evaluation.run(
                data, config, EvaluationOptions.defaults().withBatch(false).withLabelDelay(delay));

        // By hand: predict row i on arrival; learn row i once row i + delay has arrived.
        Learner learner = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        double logLoss = 0;
        for (int i = 0; i < data.rows(); i++) {
            featurizer.fillRow(data.x()[i], null, x);
            double p = learner.output(learner.margin(x));
            logLoss -= data.y()[i] == 1 ? Math.log(p) : Math.log(1 - p);
            if (i >= delay) {
                featurizer.fillRow(data.x()[i - delay], null, x);
                learner.learn(x, data.y()[i - delay]);
            }
        }
        assertThat(r.labelDelay()).isEqualTo(delay);
        assertThat(r.delayed().get("logloss")).isCloseTo(logLoss / data.rows(), within(1e-12));
        assertThat(r.delayed().get("count")).isEqualTo(1500.0);
        assertThat(r.delayed().get("logloss"))
                .as("learning later costs something")
                .isGreaterThan(r.progressive().get("logloss"));
        assertThat(Evaluation.run(data, config, EvaluationOptions.defaults().withBatch(false))
                        .delayed())
                .isNull();
    }

    @Test
    void theOnlineFigureBesideTheBatchOneIsTheProgressiveOneOnTheSameRows() {
        Dataset data = classification(2000, 6);
        LearnerConfig config = LearnerConfig.defaults(Task.LOGISTIC, data.features());
        EvaluationResult r = Evaluation.run(data, config);
        Learner learner = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        long right = 0;
        for (int i = 0; i < data.rows(); i++) {
            featurizer.fillRow(data.x()[i], null, x);
            if (i >= r.trainRows() && learner.predictedClass(learner.margin(x)) == (int) data.y()[i]) {
                right++;
            }
            learner.learn(x, data.y()[i]);
        }
        assertThat(r.progressiveOnTest().get("accuracy")).isEqualTo(right / (double) r.testRows());
        assertThat(r.progressiveOnTest().get("count")).isEqualTo(400.0);
    }

    @Test
    void theBatchModelLearnsFromABoundedSampleOfTheTrainingRows() {
        Dataset data = classification(3000, 8);
        EvaluationResult r = Evaluation.run(
                data,
                LearnerConfig.defaults(Task.LOGISTIC, data.features()),
                EvaluationOptions.defaults().withBatchRows(300));
        assertThat(r.batchTrainRows()).isEqualTo(300);
        assertThat(r.batchMetric()).isGreaterThan(0.9);
        assertThat(r.batch().get("count")).isEqualTo(600.0);
        EvaluationResult all = Evaluation.run(data, LearnerConfig.defaults(Task.LOGISTIC, data.features()));
        assertThat(all.batchTrainRows()).isEqualTo(2400);
        assertThat(Evaluation.run(
                                data,
                                LearnerConfig.defaults(Task.LOGISTIC, data.features()),
                                EvaluationOptions.defaults().withBatch(false))
                        .batch())
                .isNull();
    }

    @Test
    void theRunningPriorAndTheCurvesAreThere() {
        Dataset data = classification(2000, 9);
        EvaluationResult r = Evaluation.run(data, LearnerConfig.defaults(Task.LOGISTIC, data.features()));
        assertThat(r.prior()).containsKeys("logloss", "auc", "accuracy");
        assertThat(r.prior().get("logloss")).isGreaterThan(r.progressive().get("logloss"));
        assertThat(r.curve().series())
                .containsKeys(
                        "logloss",
                        "logloss.window",
                        "prior.logloss",
                        "prior.logloss.window",
                        "auc",
                        "auc.window",
                        "accuracy",
                        "accuracy.window");
        double[] auc = r.curve().series().get("auc");
        assertThat(auc[auc.length - 1])
                .as("binned cumulative AUC vs the exact one")
                .isCloseTo(r.progressive().get("auc"), within(0.002));
        double[] prior = r.curve().series().get("prior.logloss");
        assertThat(prior[prior.length - 1]).isCloseTo(r.prior().get("logloss"), within(1e-12));
    }
}
