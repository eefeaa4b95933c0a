package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
    static ModelSpec spec(Algorithm algorithm) {
        return ModelVersions.defaultSpec("m", algorithm, List.of("x")).build();
    }

    @Test
    void classifiersTakeZeroOrOne() {
        for (Algorithm a : List.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM)) {
            assertThat(Labels.problem(spec(a), 0)).isEmpty();
            assertThat(Labels.problem(spec(a), 1)).isEmpty();
            assertThat(Labels.problem(spec(a), 2))
                    .hasValueSatisfying(p ->
                            assertThat(p).isEqualTo("label 2.0 is not 0 or 1, as the " + a + " model 'm' requires"));
            assertThat(Labels.problem(spec(a), 0.5)).isPresent();
        }
    }

    @Test
    void regressionTakesAnyFiniteNumber() {
        assertThat(Labels.problem(spec(Algorithm.LINEAR_REGRESSION), 420.5)).isEmpty();
        assertThat(Labels.problem(spec(Algorithm.LINEAR_REGRESSION), -3)).isEmpty();
        assertThat(Labels.problem(spec(Algorithm.LINEAR_REGRESSION), Double.NaN))
                .hasValue("label NaN is not a finite number");
        assertThat(Labels.problem(spec(Algorithm.LINEAR_REGRESSION), Double.POSITIVE_INFINITY))
                .isPresent();
    }

    @Test
    void feedbackNeedsALabelWait() {
        ModelSpec waits = ModelVersions.defaultSpec("m", Algorithm.LOGISTIC_REGRESSION, List.of("x"))
                .setLabelWaitMs(60_000)
                .build();
        assertThat(Labels.feedbackProblem(waits, 1)).isEmpty();
        assertThat(Labels.feedbackProblem(waits, 3))
                .hasValueSatisfying(p -> assertThat(p).contains("is not 0 or 1"));
        assertThat(Labels.feedbackProblem(spec(Algorithm.LOGISTIC_REGRESSION), 1))
                .hasValue(
                        "model 'm' has no label wait, so none of its events waits for feedback (create it with --label-wait, e.g. 30m)");
    }
}
