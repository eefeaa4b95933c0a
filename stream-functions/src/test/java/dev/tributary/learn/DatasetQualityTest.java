package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Progressive (test-then-train, file order) figures of the DEFAULT learners on the shared
 * datasets, against the online references of {@code shared/datasets/README.md}: each must be at
 * least the best online reference minus half a point (R²: minus 0.005).
 */
class DatasetQualityTest {

    private static Map<String, Double> run(String dataset, Task task) {
        Datasets.Dataset data = Datasets.load(dataset);
        return run(data, LearnerConfig.defaults(task, data.features()));
    }

    private static Map<String, Double> run(Datasets.Dataset data, LearnerConfig config) {
        Learner learner = Datasets.prequential(data, config);
        Map<String, Double> values = learner.metrics().values();
        System.out.printf("%s %s/%s standardize=%s: %s, rejected %d%n", data.name(), config.task(), config.optimizer(),
                config.standardize(), values, learner.updatesRejected());
        assertThat(values.get("count")).isEqualTo(data.rows());
        assertThat(learner.updatesRejected()).isZero();
        return values;
    }

    @Test
    void spambaseLogistic() {
        Map<String, Double> v = run("spambase", Task.LOGISTIC);
        // references: MOA 0.910, scikit-learn 0.908 (log loss 0.280)
        assertThat(v.get("accuracy")).as("progressive accuracy").isGreaterThanOrEqualTo(0.905);
        assertThat(v.get("logloss")).as("progressive log loss").isLessThanOrEqualTo(0.30);
    }

    @Test
    void spambaseSvm() {
        Map<String, Double> v = run("spambase", Task.SVM);
        // reference: scikit-learn hinge 0.911; the default is AdaGrad on the hinge loss
        assertThat(v.get("accuracy")).as("progressive accuracy (AdaGrad hinge)").isGreaterThanOrEqualTo(0.911);
    }

    @Test
    void spambaseSvmWithPegasos() {
        Datasets.Dataset data = Datasets.load("spambase");
        Map<String, Double> v = run(data, LearnerConfig.defaults(Task.SVM, data.features()).withOptimizer(OptimizerType.PEGASOS));
        assertThat(v.get("accuracy")).as("progressive accuracy (Pegasos)").isGreaterThanOrEqualTo(0.906);
    }

    @Test
    void breastCancerLogistic() {
        Map<String, Double> v = run("breast_cancer", Task.LOGISTIC);
        // reference: scikit-learn 0.948 (log loss 0.226)
        assertThat(v.get("accuracy")).as("progressive accuracy").isGreaterThanOrEqualTo(0.943);
        assertThat(v.get("logloss")).as("progressive log loss").isLessThanOrEqualTo(0.226);
    }

    @Test
    void diamondsRegression() {
        Map<String, Double> v = run("diamonds", Task.REGRESSION);
        // references: scikit-learn 0.895, MOA 0.880
        assertThat(v.get("r2")).as("progressive R²").isGreaterThanOrEqualTo(0.89);
    }

    @Test
    void diabetesSmoke() {
        Map<String, Double> v = run("diabetes", Task.REGRESSION);
        assertThat(v.get("r2")).as("progressive R² on 442 rows").isGreaterThan(0.2);
    }

    /** AdaGrad's defaults are normalised for feature scale: they still work on raw features. */
    @Test
    void adaGradDefaultsWorkWithoutStandardisation() {
        Datasets.Dataset diamonds = Datasets.load("diamonds");
        assertThat(run(diamonds, LearnerConfig.defaults(Task.REGRESSION, diamonds.features()).withStandardize(false))
                .get("r2")).isGreaterThanOrEqualTo(0.88);
        Datasets.Dataset cancer = Datasets.load("breast_cancer");
        assertThat(run(cancer, LearnerConfig.defaults(Task.LOGISTIC, cancer.features()).withStandardize(false))
                .get("accuracy")).isGreaterThanOrEqualTo(0.88);
        Datasets.Dataset spam = Datasets.load("spambase");
        assertThat(run(spam, LearnerConfig.defaults(Task.LOGISTIC, spam.features()).withStandardize(false))
                .get("accuracy")).isGreaterThanOrEqualTo(0.80);
    }
}
