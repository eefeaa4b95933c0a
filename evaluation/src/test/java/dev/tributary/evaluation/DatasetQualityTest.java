package dev.tributary.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.OptimizerType;
import dev.tributary.learn.Task;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DEFAULT learners on the shared datasets, through the same evaluation core as
 * {@code tributary evaluate}, against {@code shared/datasets/README.md}:
 * <ul>
 *   <li>progressive metric (test-then-train, file order) &gt;= the best online reference (scikit-learn
 *       SGD, MOA) minus half a point (R²: minus 0.005);</li>
 *   <li>hold-out metric of the online learner (one pass over the first 80 %, scored on the last 20 %)
 *       within 1.5 points (R²: 0.015) of the Tribuo liblinear batch model computed here on the same split;</li>
 *   <li>the batch figure itself matches the README's liblinear column where it has one, so a misused
 *       baseline cannot make the second check vacuous.</li>
 * </ul>
 * A missing datasets folder fails (never skips): see {@link Datasets#folder()}.
 */
class DatasetQualityTest {

    private static EvaluationResult evaluate(String dataset, LearnerConfig config) {
        Dataset data = Datasets.load(dataset);
        EvaluationResult r = Evaluation.run(data, config);
        System.out.printf(
                "%s %s/%s: progressive %s; hold-out %.4f, batch %.4f, majority %.4f; rejected %d%n",
                dataset,
                config.task(),
                config.optimizer(),
                r.progressive(),
                r.holdoutMetric(),
                r.batchMetric(),
                r.majorityHoldout().get(r.metric()),
                r.updatesRejected());
        assertThat(r.progressive().get("count")).isEqualTo(data.rows());
        assertThat(r.updatesRejected()).as("updates rejected by the guard").isZero();
        assertThat(r.batchError()).isNull();
        return r;
    }

    private static EvaluationResult defaults(String dataset, Task task) {
        return evaluate(
                dataset, LearnerConfig.defaults(task, Datasets.load(dataset).features()));
    }

    private static void holdoutNearBatch(EvaluationResult r) {
        assertThat(r.holdoutMetric())
                .as("online hold-out %s vs batch %.4f", r.metric(), r.batchMetric())
                .isGreaterThanOrEqualTo(r.batchMetric() - 0.015);
    }

    @Test
    void spambaseLogistic() {
        EvaluationResult r = defaults("spambase", Task.LOGISTIC);
        // online references: MOA 0.910, scikit-learn 0.908 (log loss 0.280); liblinear 0.937
        assertThat(r.progressiveMetric()).as("progressive accuracy").isGreaterThanOrEqualTo(0.910 - 0.005);
        assertThat(r.progressive().get("logloss")).as("progressive log loss").isLessThanOrEqualTo(0.280);
        assertThat(r.batchMetric()).as("Tribuo liblinear -s 0").isCloseTo(0.937, within(0.01));
        holdoutNearBatch(r);
    }

    @Test
    void spambaseSvm() {
        EvaluationResult r = defaults("spambase", Task.SVM);
        // online reference: scikit-learn hinge 0.911; liblinear -s 2 0.933
        assertThat(r.progressiveMetric())
                .as("progressive accuracy (AdaGrad hinge)")
                .isGreaterThanOrEqualTo(0.911 - 0.005);
        assertThat(r.batchMetric()).as("Tribuo liblinear -s 2").isCloseTo(0.933, within(0.01));
        holdoutNearBatch(r);
    }

    @Test
    void breastCancerLogistic() {
        EvaluationResult r = defaults("breast_cancer", Task.LOGISTIC);
        // online reference: scikit-learn 0.948 (log loss 0.226); the README has no batch figure
        assertThat(r.progressiveMetric()).as("progressive accuracy").isGreaterThanOrEqualTo(0.948 - 0.005);
        assertThat(r.progressive().get("logloss")).as("progressive log loss").isLessThanOrEqualTo(0.226);
        holdoutNearBatch(r);
    }

    @Test
    void diamondsRegression() {
        EvaluationResult r = defaults("diamonds", Task.REGRESSION);
        // online references: scikit-learn 0.895, MOA 0.880; liblinear -s 11 0.903
        assertThat(r.progressiveMetric()).as("progressive R²").isGreaterThanOrEqualTo(0.895 - 0.005);
        assertThat(r.batchMetric()).as("Tribuo liblinear -s 11").isCloseTo(0.903, within(0.01));
        holdoutNearBatch(r);
    }

    /** The other optimizers a user may pick are held to the same online references. */
    @Test
    void theAlternativeOptimizersAlsoMatchThePeers() {
        Dataset spam = Datasets.load("spambase");
        LearnerConfig svm = LearnerConfig.defaults(Task.SVM, spam.features());
        assertThat(evaluate("spambase", svm.withOptimizer(OptimizerType.PEGASOS))
                        .progressiveMetric())
                .as("Pegasos, spambase")
                .isGreaterThanOrEqualTo(0.911 - 0.005);
        LearnerConfig logistic = LearnerConfig.defaults(Task.LOGISTIC, spam.features());
        assertThat(evaluate("spambase", logistic.withOptimizer(OptimizerType.FTRL))
                        .progressiveMetric())
                .as("FTRL, spambase")
                .isGreaterThanOrEqualTo(0.910 - 0.005);
        Dataset cancer = Datasets.load("breast_cancer");
        assertThat(evaluate(
                                "breast_cancer",
                                LearnerConfig.defaults(Task.LOGISTIC, cancer.features())
                                        .withOptimizer(OptimizerType.FTRL))
                        .progressiveMetric())
                .as("FTRL, breast_cancer")
                .isGreaterThanOrEqualTo(0.948 - 0.010);
    }

    @Test
    void diabetesSmoke() {
        EvaluationResult r = defaults("diabetes", Task.REGRESSION);
        assertThat(r.progressiveMetric()).as("progressive R² on 442 rows").isGreaterThan(0.3);
        assertThat(r.holdoutMetric()).as("hold-out R² on 88 rows").isGreaterThan(0.45);
    }

    /** AdaGrad's defaults are normalised for feature scale: they still work on raw features. */
    @Test
    void adaGradDefaultsWorkWithoutStandardisation() {
        Map<String, Double> diamonds = evaluate(
                        "diamonds",
                        LearnerConfig.defaults(
                                        Task.REGRESSION,
                                        Datasets.load("diamonds").features())
                                .withStandardize(false))
                .progressive();
        assertThat(diamonds.get("r2")).isGreaterThanOrEqualTo(0.88);
        Map<String, Double> cancer = evaluate(
                        "breast_cancer",
                        LearnerConfig.defaults(
                                        Task.LOGISTIC,
                                        Datasets.load("breast_cancer").features())
                                .withStandardize(false))
                .progressive();
        assertThat(cancer.get("accuracy")).isGreaterThanOrEqualTo(0.88);
        Map<String, Double> spam = evaluate(
                        "spambase",
                        LearnerConfig.defaults(
                                        Task.LOGISTIC, Datasets.load("spambase").features())
                                .withStandardize(false))
                .progressive();
        assertThat(spam.get("accuracy")).isGreaterThanOrEqualTo(0.80);
    }
}
