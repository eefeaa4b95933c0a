package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.evaluation.DriftingStream;
import dev.tributary.evaluation.Evaluation;
import dev.tributary.evaluation.EvaluationOptions;
import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Task;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningCurvePlotTest {

    private static EvaluationResult logistic(boolean batch) {
        DriftingStream stream = new DriftingStream(DriftingStream.Kind.SEASONAL, 5_000, 2);
        return Evaluation.run(
                stream,
                LearnerConfig.defaults(Task.LOGISTIC, stream.features()).withCategorical(stream.categorical(), 8),
                EvaluationOptions.defaults().withBatch(batch));
    }

    @Test
    void logisticRegressionGetsLogLossAucAndAccuracyWithThePriorAndTheBatchAsLines() {
        EvaluationResult r = logistic(true);
        List<LearningCurvePlot.Panel> panels = LearningCurvePlot.panels(r);
        assertThat(panels)
                .extracting(LearningCurvePlot.Panel::metric)
                .containsExactly("log loss", "ROC AUC", "accuracy");
        List<String> logLoss = panels.get(0).lines().stream()
                .map(LearningCurvePlot.Line::label)
                .toList();
        assertThat(logLoss)
                .anyMatch(l -> l.startsWith("running prior, cumulative"))
                .anyMatch(l -> l.startsWith("running prior, windowed"))
                .anyMatch(l -> l.startsWith("online, windowed"))
                .anyMatch(l -> l.startsWith("online, progressive"))
                .anyMatch(l -> l.startsWith("batch liblinear"))
                .anyMatch(l -> l.startsWith("online, frozen"));
        BufferedImage image = LearningCurvePlot.render(r, "seasonal");
        assertThat(image.getHeight()).isEqualTo(LearningCurvePlot.TITLE + 3 * LearningCurvePlot.PANEL_HEIGHT);
    }

    @Test
    void withoutABatchModelThereIsNoBatchLine() {
        List<LearningCurvePlot.Panel> panels = LearningCurvePlot.panels(logistic(false));
        assertThat(panels)
                .allSatisfy(p -> assertThat(p.lines()).noneMatch(l -> l.label().startsWith("batch")));
    }
}
