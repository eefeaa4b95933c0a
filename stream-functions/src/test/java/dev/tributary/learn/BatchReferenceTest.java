package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tribuo.classification.liblinear.LinearClassificationType.LinearType;

/**
 * The online learners against the batch optimum (liblinear through Tribuo, first 80 % / last
 * 20 %): the default online learner, given one pass over the same 80 %, must score the same 20 %
 * within two points of the batch model. The batch figures themselves are checked against
 * {@code shared/datasets/README.md} so that a misused baseline cannot make the check vacuous.
 */
class BatchReferenceTest {

    private static void compare(String dataset, Task task, double batch, double readme) {
        Datasets.Dataset data = Datasets.load(dataset);
        LearnerConfig config = LearnerConfig.defaults(task, data.features());
        double online = TribuoReference.holdout(data, config);
        double progressive = Datasets.prequential(data, config).metrics().values()
                .get(task == Task.REGRESSION ? "r2" : "accuracy");
        System.out.printf("%s %s: batch liblinear %.4f (README %.3f), online %s hold-out %.4f, progressive %.4f%n",
                dataset, task, batch, readme, config.optimizer(), online, progressive);
        assertThat(batch).as("Tribuo liblinear batch figure").isCloseTo(readme, within(0.01));
        assertThat(online).as("online hold-out vs batch %.4f", batch).isGreaterThanOrEqualTo(batch - 0.02);
    }

    @Test
    void spambaseLogisticVsLiblinearL2rLr() {
        Datasets.Dataset data = Datasets.load("spambase");
        compare("spambase", Task.LOGISTIC, TribuoReference.classification(data, LinearType.L2R_LR), 0.937);
    }

    @Test
    void spambaseSvmVsLiblinearL2rL2lossSvc() {
        Datasets.Dataset data = Datasets.load("spambase");
        compare("spambase", Task.SVM, TribuoReference.classification(data, LinearType.L2R_L2LOSS_SVC), 0.933);
    }

    @Test
    void diamondsRegressionVsLiblinearL2rL2lossSvr() {
        Datasets.Dataset data = Datasets.load("diamonds");
        compare("diamonds", Task.REGRESSION, TribuoReference.regression(data), 0.903);
    }
}
