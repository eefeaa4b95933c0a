package dev.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void countsAddUpOverTheSlidingWindow() {
        Comparison c = new Comparison(Promotion.Metric.ACCURACY, 100);
        Random random = new Random(4);
        int[] shadowRight = new int[250];
        int[] servingRight = new int[250];
        int[] same = new int[250];
        for (int i = 0; i < 250; i++) {
            int y = random.nextInt(2);
            int a = random.nextDouble() < 0.8 ? y : 1 - y;
            int b = random.nextDouble() < 0.6 ? y : 1 - y;
            c.add(a, a, b, b, y);
            shadowRight[i] = a == y ? 1 : 0;
            servingRight[i] = b == y ? 1 : 0;
            same[i] = a == b ? 1 : 0;
        }
        int hitsA = 0;
        int hitsB = 0;
        int agree = 0;
        for (int i = 150; i < 250; i++) {
            hitsA += shadowRight[i];
            hitsB += servingRight[i];
            agree += same[i];
        }
        assertThat(c.total()).isEqualTo(250);
        assertThat(c.size()).isEqualTo(100);
        assertThat(c.agreements()).isEqualTo(agree);
        assertThat(c.shadowMetric()).isCloseTo(hitsA / 100.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.servingMetric()).isCloseTo(hitsB / 100.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.agreement()).isEqualTo(agree / 100.0);
        assertThat(c.difference()).isCloseTo((hitsA - hitsB) / 100.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.ciLow()).isLessThan(c.meanDifference());
        assertThat(c.ciHigh()).isGreaterThan(c.meanDifference());
    }

    @Test
    void theIntervalCoversTheTrueDifferenceAndNarrowsWithEvents() {
        Random random = new Random(9);
        Comparison small = new Comparison(Promotion.Metric.ACCURACY, 200);
        Comparison large = new Comparison(Promotion.Metric.ACCURACY, 20_000);
        for (int i = 0; i < 20_000; i++) {
            int y = random.nextInt(2);
            int a = random.nextDouble() < 0.9 ? y : 1 - y;
            int b = random.nextDouble() < 0.8 ? y : 1 - y;
            small.add(a, a, b, b, y);
            large.add(a, a, b, b, y);
        }
        assertThat(large.ciLow()).isLessThan(0.1);
        assertThat(large.ciHigh()).isGreaterThan(0.1);
        assertThat(large.ciLow()).isPositive(); // the shadow is better, and 20,000 events show it
        assertThat(large.ciHigh() - large.ciLow()).isLessThan((small.ciHigh() - small.ciLow()) / 5);
    }

    @Test
    void regressionHasNoAgreementAndComparesErrors() {
        Comparison c = new Comparison(Promotion.Metric.MAE, 10);
        c.add(1.5, null, 3.0, null, 1.0);
        c.add(2.5, null, 0.0, null, 2.0);
        assertThat(c.agreement()).isNaN();
        assertThat(c.shadowMetric()).isEqualTo(0.5);
        assertThat(c.servingMetric()).isEqualTo(2.0);
        assertThat(c.difference()).isEqualTo(-1.5);
        assertThatThrownBy(() -> new Comparison(Promotion.Metric.MAE, 1)).hasMessageContaining("at least 2");
    }
}
