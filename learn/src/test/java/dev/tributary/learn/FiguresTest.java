package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void classificationFiguresComeFromTheConfusionCountsInTheLearnersOrder() {
        ClassificationFigures f = new ClassificationFigures();
        f.add(true, true); // tp
        f.add(true, true); // tp
        f.add(true, false); // fp
        f.add(false, true); // fn
        f.add(false, false); // tn
        Map<String, Double> v = new LinkedHashMap<>();
        f.putInto(v, Map.of("logloss", 0.25));
        assertThat(v)
                .containsExactly(
                        Map.entry("accuracy", 3.0 / 5),
                        Map.entry("logloss", 0.25),
                        Map.entry("precision", 2.0 / 3),
                        Map.entry("recall", 2.0 / 3),
                        Map.entry("f1", 4.0 / 6));
        assertThat(f.count()).isEqualTo(5);
    }

    @Test
    void noPredictionsReadZeroNotNaN() {
        Map<String, Double> v = new LinkedHashMap<>();
        new ClassificationFigures().putInto(v, Map.of());
        assertThat(v.values()).containsOnly(0.0);
    }

    @Test
    void logLossIsClippedSoACertainWrongAnswerStaysFinite() {
        assertThat(ClassificationFigures.logLoss(0.8, 1)).isCloseTo(-Math.log(0.8), within(1e-15));
        assertThat(ClassificationFigures.logLoss(0.8, 0)).isCloseTo(-Math.log(0.2), within(1e-15));
        assertThat(ClassificationFigures.logLoss(0.0, 1)).isCloseTo(-Math.log(ClassificationFigures.EPS), within(1e-9));
        assertThat(ClassificationFigures.logLoss(1.0, 0)).isFinite();
    }

    @Test
    void regressionFiguresFromTheirSums() {
        Map<String, Double> v = new LinkedHashMap<>();
        RegressionFigures.putInto(v, 6.0, 18.0, 36.0, 4);
        assertThat(v)
                .containsExactly(
                        Map.entry("mae", 1.5),
                        Map.entry("rmse", Math.sqrt(18.0 / 4)),
                        Map.entry("r2", 0.5),
                        Map.entry("count", 4.0));
        Map<String, Double> constant = new LinkedHashMap<>();
        RegressionFigures.putInto(constant, 0, 0, 0, 0);
        assertThat(constant.get("r2")).isZero();
        assertThat(constant.get("rmse")).isZero();
    }
}
