package dev.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import org.junit.jupiter.api.Test;

class SyntheticStreamTest {
    @Test
    void isReproducibleForASeed() {
        SyntheticStream a = new SyntheticStream("m", Algorithm.LINEAR_REGRESSION, 3, 5, 100);
        SyntheticStream b = new SyntheticStream("m", Algorithm.LINEAR_REGRESSION, 3, 5, 100);
        for (int i = 0; i < 50; i++) {
            Event x = a.next();
            Event y = b.next();
            assertThat(x.getFeatures()).isEqualTo(y.getFeatures());
            assertThat(x.getLabel()).isEqualTo(y.getLabel());
        }
    }

    @Test
    void classifiersEmitZeroOrOneLabels() {
        for (Algorithm algorithm : new Algorithm[] {Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM}) {
            SyntheticStream s = new SyntheticStream("m", algorithm, 4, 1, Long.MAX_VALUE);
            for (int i = 0; i < 200; i++) {
                assertThat(s.next().getLabel()).isIn(0.0, 1.0);
            }
        }
    }

    @Test
    void theTrueModelScoresWellButNotPerfectly() {
        double r2 = new SyntheticStream("m", Algorithm.LINEAR_REGRESSION, 5, 3, Long.MAX_VALUE).bestAchievable(5000);
        double svm = new SyntheticStream("m", Algorithm.LINEAR_SVM, 5, 3, Long.MAX_VALUE).bestAchievable(5000);
        assertThat(r2).isBetween(0.8, 0.999);
        assertThat(svm).isBetween(0.92, 0.98); // 5 % of labels are flipped
    }

    @Test
    void driftChangesTheTruth() {
        SyntheticStream s = new SyntheticStream("m", Algorithm.LINEAR_REGRESSION, 5, 3, 5000);
        double[] before = covariances(s, 5000);
        double[] after = covariances(s, 5000);
        int flipped = 0;
        for (int i = 0; i < before.length; i++) {
            if (Math.signum(before[i]) != Math.signum(after[i])) {
                flipped++;
            }
        }
        assertThat(flipped)
                .as("features whose relation to the label changed sign")
                .isPositive();
    }

    @Test
    void aGradualDriftMovesFromTheOldTruthToTheNew() {
        SyntheticStream s = new SyntheticStream("m", Algorithm.LINEAR_REGRESSION, 5, 3, 5000, 8000);
        double[] before = covariances(s, 5000);
        double[] early = covariances(s, 2000); // 0-25 % of the ramp
        covariances(s, 4000);
        double[] late = covariances(s, 2000); // 75-100 % of the ramp
        double[] after = covariances(s, 5000);
        assertThat(distance(early, before)).isLessThan(distance(early, after));
        assertThat(distance(late, after)).isLessThan(distance(late, before));
        assertThat(distance(before, after)).isGreaterThan(distance(early, before) + distance(late, after));
    }

    @Test
    void refusesANegativeDriftWidth() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new SyntheticStream("m", Algorithm.LINEAR_REGRESSION, 2, 1, 10, -1))
                .hasMessageContaining("driftWidth");
    }

    private static double distance(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d;
    }

    private static double[] covariances(SyntheticStream s, int n) {
        double[] sumXy = new double[5];
        double[] sumX = new double[5];
        double sumY = 0;
        for (int k = 0; k < n; k++) {
            Event e = s.next();
            for (int i = 0; i < 5; i++) {
                double x = e.getFeatures().get("x" + (i + 1));
                sumXy[i] += x * e.getLabel();
                sumX[i] += x;
            }
            sumY += e.getLabel();
        }
        double[] cov = new double[5];
        for (int i = 0; i < 5; i++) {
            cov[i] = sumXy[i] / n - sumX[i] / n * sumY / n;
        }
        return cov;
    }
}
